"""How the caseworker's pages scale: the same requests on a small and a large municipality.

Run: `make bench` or `.venv/bin/python bench/bench_pages.py [--large 100000] [--small 1500]`.
Each size gets its own SQLite database under var/bench/ (generated once with `vidare demo`,
reused afterwards). Requests go through Django's test client in-process, so the figures are
server time without network. The baseline is the same page on the small data set; the ratio
large/small shows whether a page grows with the size of the register.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VIDARE = str(Path(sys.executable).with_name("vidare"))
REPEAT = 30


def ensure_database(size: int) -> Path:
    var_dir = ROOT / "var" / "bench" / f"demo-{size}"
    env = {**os.environ, "VIDARE_VAR_DIR": str(var_dir)}
    env.pop("DATABASE_URL", None)
    if not (var_dir / "vidare.sqlite3").exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        subprocess.run([VIDARE, "migrate", "--noinput", "-v", "0"], env=env, check=True)  # noqa: S603
        started = time.perf_counter()
        subprocess.run([VIDARE, "demo", "--participants", str(size), "--quiet"], env=env,  # noqa: S603
                       check=True)
        print(f"generated {size} participants in {time.perf_counter() - started:.0f} s")
    return var_dir


def measure(var_dir: Path) -> dict[str, dict[str, float]]:
    """Runs in a child process whose Django points at `var_dir`."""
    os.environ["VIDARE_VAR_DIR"] = str(var_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vidare.settings.development")
    import django

    django.setup()
    from django.core.signals import request_started
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from vidare.access.models import User
    from vidare.enrolments.models import Enrolment
    from vidare.people.models import Participant

    coach = (User.objects.filter(memberships__role="jobbcoach").order_by("username").first())
    chief = User.objects.filter(memberships__role="enhetschef").order_by("username").first()
    enrolment = Enrolment.objects.filter(responsible=coach, status="active").first()
    person = enrolment.participant
    numbered = Participant.objects.filter(identity_kind="personnummer",
                                          enrolments__centre=enrolment.centre).first()
    pages = {
        "caseload": (coach, "/mina-deltagare/"),
        "search by personnummer": (coach, f"/deltagare/?q={numbered.identity_number[2:8]}-"
                                          f"{numbered.identity_number[8:]}"),
        "search by name": (coach, f"/deltagare/?q={person.last_name[:4]}"),
        "participant page": (coach, f"/deltagare/{person.pk}/"),
        "centre overview": (chief, "/oversikt/"),
    }
    # Django empties the query log at every request start; keep it to count queries.
    request_started.disconnect(reset_queries)
    client = Client(HTTP_HOST="localhost")
    results: dict[str, dict[str, float]] = {}
    for name, (user, url) in pages.items():
        client.force_login(user)
        assert client.get(url).status_code == 200, (name, url)
        times = []
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        for _ in range(REPEAT):
            t0 = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        if os.environ.get("BENCH_SHOW_SQL"):
            for q in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:3]:
                print(name, q["time"], q["sql"][:600], file=sys.stderr)
        results[name] = {"p50_ms": statistics.median(times),
                         "p95_ms": times[int(0.95 * (len(times) - 1))],
                         "queries": len(queries)}
    results["_size"] = {"participants": Participant.objects.count()}
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=1500)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(Path(args.child))))
        return
    figures = {}
    for size in (args.small, args.large):
        var_dir = ensure_database(size)
        out = subprocess.run([sys.executable, __file__, "--child", str(var_dir)],  # noqa: S603
                             check=True, stdout=subprocess.PIPE, text=True)
        figures[size] = json.loads(out.stdout.strip().splitlines()[-1])
    small, large = figures[args.small], figures[args.large]
    print(f"\nPages, server time (test client, SQLite), {REPEAT} requests each")
    print(f"{'page':<24}{'queries':>8}{'p50 small':>11}{'p50 large':>11}{'p95 large':>11}"
          f"{'ratio':>7}")
    for name in (k for k in small if not k.startswith("_")):
        s, lg = small[name], large[name]
        print(f"{name:<24}{lg['queries']:>8.0f}{s['p50_ms']:>9.1f}ms{lg['p50_ms']:>9.1f}ms"
              f"{lg['p95_ms']:>9.1f}ms{lg['p50_ms'] / s['p50_ms']:>7.2f}")
    print(f"small = {small['_size']['participants']} participants, "
          f"large = {large['_size']['participants']} participants")


if __name__ == "__main__":
    main()
