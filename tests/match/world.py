"""A small synthetic world for matching tests: people, a member file and a noisy client file.

Deterministic (seeded) so tests are stable. Noise kinds the matcher must survive: kana typed in
hiragana or half-width, family/given swapped, birth-date digits transposed, phone or e-mail changed,
a household sharing one landline and one e-mail, Latin-script names with foreign addresses.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

FAMILY = [("山田", "ヤマダ"), ("佐藤", "サトウ"), ("鈴木", "スズキ"), ("高橋", "タカハシ"), ("田中", "タナカ"),
          ("伊藤", "イトウ"), ("渡辺", "ワタナベ"), ("中村", "ナカムラ"), ("小林", "コバヤシ"), ("加藤", "カトウ"),
          ("吉田", "ヨシダ"), ("山口", "ヤマグチ"), ("松本", "マツモト"), ("井上", "イノウエ"), ("木村", "キムラ")]  # fmt: skip
GIVEN = [("太郎", "タロウ"), ("花子", "ハナコ"), ("一郎", "イチロウ"), ("美咲", "ミサキ"), ("健太", "ケンタ"),
         ("陽子", "ヨウコ"), ("翔", "ショウ"), ("愛", "アイ"), ("大輔", "ダイスケ"), ("由美", "ユミ"),
         ("直樹", "ナオキ"), ("恵", "メグミ")]  # fmt: skip
LATIN = [("Smith", "John"), ("Nguyen", "Thi Lan"), ("Garcia", "Maria"), ("Kim", "Minjun"), ("Silva", "Ana")]
CITIES = [("東京都", "千代田区", "100"), ("大阪府", "大阪市北区", "530"), ("神奈川県", "横浜市中区", "231"),
          ("愛知県", "名古屋市中区", "460"), ("福岡県", "福岡市博多区", "812")]  # fmt: skip
HEADER = ["id", "name", "name_kana", "birth_date", "email", "phone", "postal_code", "address", "gender"]


@dataclass
class Person:
    """One real person."""

    key: int
    name: str
    kana: str
    birth: str
    email: str
    phone: str
    postal: str
    address: str
    gender: str


def people(n: int, seed: int = 1) -> list[Person]:
    """Make n distinct people; every 10th has a Latin-script name and a foreign address."""
    rnd = random.Random(seed)
    out = []
    for k in range(n):
        if k % 10 == 9:
            fam, giv = rnd.choice(LATIN)
            name, kana = f"{giv} {fam}", ""
            postal, address = f"SW{k % 9}A {k % 7}AA", f"{k} Baker St, London, UK"
        else:
            (fam, fk), (giv, gk) = rnd.choice(FAMILY), rnd.choice(GIVEN)
            name, kana = f"{fam} {giv}", f"{fk} {gk}"
            pref, city, p3 = rnd.choice(CITIES)
            postal, address = (
                f"{p3}-{rnd.randint(0, 9999):04d}",
                f"{pref}{city}本町{rnd.randint(1, 9)}-{rnd.randint(1, 30)}",
            )
        birth = f"{rnd.randint(1950, 2004)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
        out.append(
            Person(k, name, kana, birth, f"user{k}@example.com", f"090-{k // 10000:04d}-{k % 10000:04d}",
                   postal, address, rnd.choice("MF"))
        )  # fmt: skip
    return out


def _hira(kana: str) -> str:
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in kana)


def noisy(person: Person, rnd: random.Random) -> list[str]:
    """The client's record of a person, with one or two kinds of noise."""
    name, kana, birth, email, phone = person.name, person.kana, person.birth, person.email, person.phone
    for kind in rnd.sample(range(6), 2):
        if kind == 0 and kana:
            kana = _hira(kana)
        elif kind == 1:
            parts = name.split(" ", 1)
            name = f"{parts[1]} {parts[0]}" if len(parts) == 2 else name
            kana = " ".join(reversed(kana.split(" "))) if kana else kana
        elif kind == 2:
            y, m, d = birth.replace("/", "-").split("-")
            birth = (
                f"{y}-{d}-{m}"
                if int(d) <= 12
                else f"{y}-{m}-{d[::-1]}"
                if d[1] != "0" and int(d[::-1]) <= 28
                else birth
            )
        elif kind == 3:
            email = f"new{person.key}@example.net"
        elif kind == 4:
            phone = ""
        elif kind == 5:
            birth = birth.replace("-", "/")
    return [f"c{person.key}", name, kana, birth, email, phone, person.postal, person.address, person.gender]


def files(n: int = 300, seed: int = 3) -> tuple[list[list[str]], list[list[str]], set[tuple[str, str]]]:
    """Member rows, client rows, and the true (member id, client id) pairs.

    The client holds two thirds of the people plus strangers; members 1 and 2 share a landline and
    an e-mail (one household) and the client knows only member 2.
    """
    rnd = random.Random(seed)
    everyone = people(n + n // 3, seed)
    members = everyone[:n]
    member_rows = [[f"m{p.key}", p.name, p.kana, p.birth, p.email, p.phone, p.postal, p.address, p.gender]
                   for p in members]  # fmt: skip
    # Household: member 1 uses member 0's landline and e-mail; different given name and birth date.
    member_rows[1][4], member_rows[1][5] = member_rows[0][4], member_rows[0][5]
    member_rows[1][1] = (
        member_rows[0][1].split(" ")[0] + " 次郎" if " " in member_rows[0][1] else "Jiro Smith"
    )
    member_rows[1][2] = (member_rows[0][2].split(" ")[0] + " ジロウ") if member_rows[0][2] else ""
    member_rows[1][3] = "1999-09-09"
    known = [p for p in members if p.key % 3 != 0 and p.key != 1]
    strangers = everyone[n:]
    client_rows = [noisy(p, rnd) for p in known] + [noisy(p, rnd) for p in strangers]
    rnd.shuffle(client_rows)
    truth = {(f"m{p.key}", f"c{p.key}") for p in known}
    return member_rows, client_rows, truth
