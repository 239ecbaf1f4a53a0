"""How many URL reversals a render does, and their share of its profiled time, on the
county demo (the database bench/cockpit.py prepares; run that once first):

    .venv/bin/python bench/reversals.py

Counts, not timings: they repeat exactly on a noisy machine. Issue 22 measured 364
reversals a cockpit render, about 27% of its time.
"""

import cProfile
import os
import pstats
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness as harness

RENDERS = 20


def main() -> None:
    os.environ["CUNQI_TOTP_ROLES"] = ""
    harness.setup_django(harness.database_url("sqlite", "county"))
    from django.test import Client

    from cunqi.accounts.models import User

    user, _ = User.objects.get_or_create(username="bench-taskforce", defaults={"role": "taskforce"})
    client = Client()
    client.force_login(user)
    for url in ("/", "/projects/project/", "/registry/village/"):
        client.get(url)  # warm-up
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(RENDERS):
            assert client.get(url).status_code == 200, url
        profile.disable()
        stats = pstats.Stats(profile)
        calls = share = 0
        for (file, _line, name), (_cc, count, _tt, cumulative, _callers) in stats.stats.items():
            if name == "reverse" and file.endswith("django/urls/base.py"):
                calls, share = count, cumulative / stats.total_tt
        print(f"{url}: {calls / RENDERS:.0f} reversals a render, {share:.1%} of profiled time")


if __name__ == "__main__":
    main()
