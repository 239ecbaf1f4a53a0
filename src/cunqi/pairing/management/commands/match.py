from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Model

from cunqi.pairing import recommend, selectors
from cunqi.pairing.models import MatchingRun
from cunqi.registry.models import Town, Zone


class Command(BaseCommand):
    help = "Recommend pairings for a scope and write them to an .xlsx file (the run is kept)."

    def add_arguments(self, parser: CommandParser) -> None:
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument("--zone", help="a zone's name (default: the whole city)")
        scope.add_argument("--town", help="a town's name")
        parser.add_argument("--out", required=True, type=Path, help="the .xlsx file to write")
        parser.add_argument("--min-score", type=float, default=0.1)
        parser.add_argument("--max-distance-km", type=float, default=100.0)
        parser.add_argument(
            "--weights",
            default="0.6,0.2,0.2",
            help="complementary resources, industry fit, proximity (default 0.6,0.2,0.2)",
        )
        parser.add_argument(
            "--fresh",
            action="store_true",
            help="ignore the existing pairings (a plan from scratch)",
        )

    def handle(self, *args: object, **options: object) -> None:
        try:
            complementarity, industry, proximity = (float(w) for w in options["weights"].split(","))
        except ValueError:
            raise CommandError("--weights takes three numbers separated by commas") from None
        run = MatchingRun(
            zone=self._find(Zone, options["zone"]),
            town=self._find(Town, options["town"]),
            complementarity_weight=complementarity,
            industry_weight=industry,
            proximity_weight=proximity,
            max_distance_km=options["max_distance_km"],
            min_score=options["min_score"],
            keep_existing=not options["fresh"],
        )
        try:
            run.full_clean()
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        run.save()
        run = recommend.execute(run)
        if run.status == MatchingRun.Status.FAILED:
            raise CommandError(run.message)
        options["out"].write_bytes(selectors.recommendations_xlsx(run))
        pending = run.recommendations.filter(decision="pending").count()
        self.stdout.write(
            f"Run #{run.pk}: {run.villages} villages, {run.enterprises} enterprises, "
            f"{run.candidates} candidate pairs; {pending} new recommendations, total score "
            f"{run.objective:.3f} (current pairings {run.current_objective:.3f}). "
            f"Written to {options['out']}."
        )
        if run.message:
            self.stdout.write(run.message)

    def _find(self, model: type[Model], name: str | None):
        if name is None:
            return None
        try:
            return model.objects.get(name=name)
        except model.DoesNotExist:
            raise CommandError(f"no {model._meta.verbose_name} named {name!r}") from None
