"""Re-screening after a list import: 100 000 customers against a 10 000-name list (issue 12 target
≤ 60 s), and the inline payee screening a payment pays (target p99 ≤ 5 ms).

    python -m ompay.devstack exec --database ompay_bench -- python -m bench.rescreening

Customers get Senegalese names drawn from common first names and surnames; the list gets
names drawn mostly from other pools (Arabic, Sahelian, foreign), so that, as in life, a small
share of customers come close to a listed name. The whole run is timed as the worker runs it:
loading the index, matching, and writing every query to the log.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import random
import statistics
import time

import asyncpg
from sqlalchemy import text

from bench.seed import bench_services, migrate
from config.settings import get_settings
from ompay.domain.actors import Actor
from ompay.domain.screening_lists import ListFormat
from ompay.services.compliance.screening import ScreeningSubject

FIRST = [
    "Mamadou",
    "Moussa",
    "Ibrahima",
    "Abdoulaye",
    "Cheikh",
    "Ousmane",
    "Modou",
    "Babacar",
    "Aliou",
    "Lamine",
    "Pape",
    "Serigne",
    "Alioune",
    "Omar",
    "Souleymane",
    "Assane",
    "Ousseynou",
    "Malick",
    "Ablaye",
    "Saliou",
    "Fallou",
    "Khadim",
    "Idrissa",
    "Boubacar",
    "Amadou",
    "Demba",
    "Aminata",
    "Fatou",
    "Awa",
    "Mariama",
    "Khady",
    "Aissatou",
    "Adama",
    "Ndeye",
    "Seynabou",
    "Coumba",
    "Rokhaya",
    "Astou",
    "Dieynaba",
    "Maimouna",
    "Fatoumata",
    "Binta",
    "Sokhna",
    "Ramatoulaye",
    "Yacine",
    "Oumou",
    "Kine",
    "Bineta",
    "Marieme",
    "Ngone",
    "Penda",
    "Anta",
    "Codou",
]
LAST = [
    "Diop",
    "Ndiaye",
    "Fall",
    "Sow",
    "Ba",
    "Diallo",
    "Gueye",
    "Faye",
    "Sarr",
    "Mbaye",
    "Seck",
    "Cisse",
    "Niang",
    "Diouf",
    "Thiam",
    "Kane",
    "Sy",
    "Diagne",
    "Ndour",
    "Diatta",
    "Sene",
    "Camara",
    "Toure",
    "Mbodj",
    "Dieng",
    "Wade",
    "Ka",
    "Lo",
    "Badji",
    "Sall",
    "Diakhate",
    "Tall",
    "Samb",
    "Ndao",
    "Fofana",
    "Keita",
    "Coly",
    "Mane",
    "Sagna",
    "Goudiaby",
    "Dramé",
    "Sylla",
    "Konate",
    "Traore",
    "Kante",
    "Bathily",
    "Gaye",
    "Ly",
    "Dia",
    "Wane",
    "Ndoye",
    "Diedhiou",
    "Tine",
]
LISTED_FIRST = [
    "Abdelkader",
    "Abou",
    "Hamza",
    "Khalid",
    "Tariq",
    "Yacoub",
    "Bilal",
    "Hamid",
    "Mokhtar",
    "Iyad",
    "Ahmed",
    "Mohamed",
    "Ousmane",
    "Ibrahim",
    "Youssouf",
    "Abdallah",
    "Oumar",
    "Moussa",
    "Ali",
    "Hassan",
    "Hussein",
    "Saleh",
    "Anwar",
    "Sufyan",
    "Zakaria",
    "Idris",
    "Jamal",
    "Nasser",
    "Walid",
    "Rachid",
    "Karim",
    "Faysal",
    "Adnan",
    "Samir",
    "Nabil",
    "Mustafa",
    "Abdelmalek",
    "Djamel",
    "Hamadou",
    "Sidi",
    "Bakary",
    "Seydou",
]
LISTED_LAST = [
    "Belmokhtar",
    "Ag",
    "Ghaly",
    "Kouffa",
    "Hamaha",
    "Ould",
    "Hamaha",
    "Al",
    "Sahrawi",
    "Droukdel",
    "Abu",
    "Obeida",
    "Yattara",
    "Dicko",
    "Maiga",
    "Cisse",
    "Toure",
    "Diallo",
    "Bah",
    "Traore",
    "Coulibaly",
    "Keita",
    "Sangare",
    "Haidara",
    "Ansar",
    "Zarkaoui",
    "Benali",
    "Mansour",
    "Haddad",
    "Karimi",
    "Hakimi",
    "Rahmani",
    "Salim",
    "Yusuf",
    "Qasim",
    "Jalloh",
    "Kamara",
    "Sesay",
    "Conteh",
    "Bangura",
    "Turay",
    "Koroma",
    "Barrie",
    "Mansaray",
]
PAYEES = text(
    "SELECT person_id, first_name || ' ' || last_name AS name FROM users WHERE phone LIKE '+22175%' "
    "ORDER BY phone LIMIT 2000"
)


def customer_name(rng: random.Random) -> tuple[str, str]:
    middle = f" {rng.choice(FIRST)}" if rng.random() < 0.2 else ""
    return rng.choice(FIRST) + middle, rng.choice(LAST)


def listed_csv(rng: random.Random, size: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(("reference", "name", "aliases", "birth_date", "id_number", "kind"))
    for n in range(size):
        first = rng.choice(LISTED_FIRST if rng.random() < 0.95 else FIRST)
        last = rng.choice(LISTED_LAST if rng.random() < 0.95 else LAST)
        alias = f"{rng.choice(LISTED_FIRST)} {last}" if rng.random() < 0.3 else ""
        writer.writerow((f"B-{n}", f"{first} {last}", alias, "", "", "individual"))
    return out.getvalue().encode()


async def seed_customers(dsn: str, count: int) -> None:
    rng = random.Random(7)
    connection = await asyncpg.connect(dsn)
    try:
        present = await connection.fetchval("SELECT count(*) FROM users WHERE phone LIKE '+22175%'")
        if present >= count:
            return
        rows = []
        for i in range(present, count):
            first, last = customer_name(rng)
            rows.append((first, last, f"+22175{i:07d}", f"{1_750_000_000_000 + i:013d}"))
        async with connection.transaction():
            await connection.execute("SET LOCAL session_replication_role = replica")
            await connection.execute(
                "CREATE TEMP TABLE bench_names (first_name text, last_name text, phone text, nin text) ON COMMIT DROP"
            )
            await connection.copy_records_to_table("bench_names", records=rows)
            await connection.execute(
                "INSERT INTO users (id, person_id, role, status, first_name, last_name, phone, national_id, "
                "password_hash, created_at, updated_at) SELECT gen_random_uuid(), gen_random_uuid(), 'customer', "
                "'active', first_name, last_name, phone, nin, 'x', now(), now() FROM bench_names"
            )
            await connection.execute(
                "INSERT INTO persons (id, tier, national_id, created_at, updated_at) SELECT person_id, 'tier1', "
                "national_id, now(), now() FROM users WHERE phone LIKE '+22175%' ON CONFLICT DO NOTHING"
            )
    finally:
        await connection.close()


async def rescreen(names: int) -> None:
    """Import a new list version (its scheduled run is left queued), then time a whole run."""
    async with bench_services() as (services, session):
        content = listed_csv(random.Random(time.time_ns()), names)  # a new version each run
        await services.screening_list_service.import_list(
            "bench", ListFormat.CSV, content, Actor.system("bench")
        )
        started = time.perf_counter()
        screened = await services.rescreening_service.run()
        elapsed = time.perf_counter() - started
        hits = await session.scalar(text("SELECT count(*) FROM screening_hits WHERE status = 'open'"))
    print(
        f"re-screened {screened} subjects against {names} listed names in {elapsed:.1f} s ({hits} open hits)"
    )


async def payee_latency() -> None:
    """The payee check as a payment pays it: the lists in force, then the cache."""
    async with bench_services() as (services, session):
        rows = await session.execute(PAYEES)
        subjects = [ScreeningSubject(row.person_id, "customer", row.person_id, row.name) for row in rows]
        for subject in subjects:  # fills the cache; every payee was screened by the run
            await services.screening_service.may_receive(subject)
        timings = []
        for subject in subjects:
            started = time.perf_counter()
            await services.screening_service.may_receive(subject)
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p99 = timings[int(len(timings) * 0.99) - 1]
    median = statistics.median(timings)
    print(f"inline payee screening, {len(timings)} payees: median {median:.2f} ms, p99 {p99:.2f} ms")


async def main(customers: int, names: int) -> None:
    migrate()
    dsn = get_settings().db.url.replace("postgresql+asyncpg://", "postgresql://")
    await seed_customers(dsn, customers)
    await rescreen(names)
    await payee_latency()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--names", type=int, default=10_000)
    args = parser.parse_args()
    asyncio.run(main(args.customers, args.names))
