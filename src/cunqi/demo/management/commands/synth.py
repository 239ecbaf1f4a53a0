import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from cunqi.dashboard import snapshot
from cunqi.demo import programme
from cunqi.demo.synth import SCALES, Synthesiser


class Command(BaseCommand):
    help = (
        "Fill an empty database with a synthetic programme at county, province or national scale."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), required=True)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args: object, scale: str, seed: int, **options: object) -> None:
        if programme.is_loaded():
            raise CommandError("The database is not empty: synthesise into an empty database.")
        bars = []

        def progress(label: str, total: int):
            bar = tqdm(total=total, desc=label, unit="rows", file=self.stderr._out, leave=True)
            bars.append(bar)
            return bar.update

        started = time.perf_counter()
        counts = Synthesiser(SCALES[scale], seed, progress).run()
        for bar in bars:
            bar.close()
        snapshot.refresh()
        self.stdout.write(
            self.style.SUCCESS(
                f"Synthesised {scale}: {counts['villages']} villages, {counts['enterprises']} enterprises, "
                f"{counts['projects']} projects in {time.perf_counter() - started:.1f} s."
            )
        )
