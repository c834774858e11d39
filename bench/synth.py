"""Write a realistic synthetic `agencies.csv` of N services (plus the 33 area rows) for benchmarks.

    .venv/bin/python bench/synth.py 10000 /tmp/agencies-10k.csv

Entries mix the vocabulary of the real data with the words people use in the ten site languages, so
search sees realistic text. Phone numbers are Ofcom's drama numbers (020 7946 0000-0999), never real.
"""

import csv
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from directory import reference  # noqa: E402
from directory.records import COLUMNS  # noqa: E402

NEEDS = {
    "sexual-health": "sexual health clinic STI HIV test PrEP contraception doctor nurse",
    "sexual-violence": "rape sexual assault ISVA support counselling forensic examination",
    "anonymous-reporting": "report anonymously safety alert attack robbery threat",
    "domestic-abuse": "domestic abuse refuge partner violence safety planning",
    "trafficking": "trafficking modern slavery forced work exploitation safe house",
    "legal": "lawyer legal advice solicitor court rights criminal record",
    "immigration": "immigration visa papers asylum status advice Home Office",
    "drugs-alcohol": "drugs alcohol needle exchange treatment harm reduction",
    "mental-health": "mental health counselling therapy someone to talk to crisis",
    "housing": "housing somewhere to sleep tonight homeless hostel rent",
    "peer-support": "peer support sex workers community mutual aid collective",
    "exiting": "leave sex work training jobs benefits long-term support",
}
# Everyday words in the site's other languages (as people type them, accents and all).
OTHER_WORDS = [
    "clínica saúde sexual advogado moradia violência ajuda",  # pt-BR
    "clinică sănătate avocat locuință violență ajutor",  # ro
    "клиника здраве адвокат жилище насилие помощ",  # bg
    "诊所 性健康 律师 住房 暴力 帮助",  # zh
    "clínica salud sexual abogado vivienda violencia ayuda",  # es
    "klinika zdrowie prawnik mieszkanie przemoc pomoc",  # pl
    "klinika egészség ügyvéd lakhatás erőszak segítség",  # hu
    "ক্লিনিক স্বাস্থ্য আইনজীবী আবাসন সহিংসতা সাহায্য",  # bn
    "عيادة صحة محامي سكن عنف مساعدة",  # ar
]
ORG_WORDS = ["Project", "Centre", "Collective", "Line", "Service", "Network", "Trust", "Clinic", "Hub", "Outreach"]
PLACES = [area.name for area in reference.AREAS]
HOURS = ["24/7", "Mon-Fri 10:00-17:00", "Mon-Fri 09:00-12:00,13:00-17:00", "Thu 05:00-07:00; Fri 23:30-02:00",
         "Tue,Thu 18:00-21:00", "", "Sat,Sun 12:00-16:00"]  # fmt: skip


def service_row(i: int, rng: random.Random) -> dict:
    categories = rng.sample(list(reference.CATEGORIES), rng.choice([1, 1, 2, 3]))
    place = rng.choice(PLACES)
    words = " ".join(NEEDS[c] for c in categories)
    description = (
        f"{rng.choice(['Free', 'Confidential', 'Non-judgemental', 'Specialist'])} {words.split()[0]} support "
        f"in {place}. {' '.join(rng.sample(words.split(), min(8, len(words.split()))))}. "
        f"{rng.choice(OTHER_WORDS) if rng.random() < 0.4 else ''}"
    ).strip()
    roll = rng.random()
    boroughs = "national" if roll < 0.1 else "london" if roll < 0.3 else ";".join(
        rng.sample([a.slug for a in reference.AREAS], rng.choice([1, 1, 2, 3]))
    )  # fmt: skip
    return {
        "id": f"synthetic-{i}",
        "kind": "service",
        "name": f"{place} {rng.choice(ORG_WORDS)} {i}",
        "boroughs": boroughs,
        "phone": f"020 7946 0{i % 1000:03d}" if rng.random() < 0.8 else "",
        "website": f"https://service-{i}.example/",
        "opening_hours": rng.choice(HOURS),
        "source_url": f"https://service-{i}.example/about",
        "last_verified": "2026-11-01",
        "categories": ";".join(categories),
        "description": description,
        "access": ";".join(rng.sample(["drop-in", "appointment", "outreach", "phone", "online"], 2)),
        "serves": "women;men;trans;non-binary",
        "org_type": rng.choice(["charity", "nhs", "sex-worker-led", "charity;faith-based"]),
        "independent_of_police": rng.choice(["yes", "no", "unknown"]),
    }


def spoc_row(area) -> dict:
    return {
        "id": f"spoc-{area.slug}",
        "kind": "spoc",
        "boroughs": area.slug,
        "source_url": "https://www.police.uk/",
        "last_verified": "2026-11-01",
        "status": "none-published",
        "notes": "No contact has been published.",
    }


def write(count: int, path: Path, seed: int = 7) -> Path:
    # Reproducible test data, not security.
    rng = random.Random(seed)  # nosec B311
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n", restval="")
        writer.writeheader()
        writer.writerows(service_row(i, rng) for i in range(count))
        writer.writerows(spoc_row(area) for area in reference.AREAS)
    return path


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    print(write(int(sys.argv[1]), Path(sys.argv[2])))
