"""Write the example CSV files beside this script, the same bytes every time (seeded).

    python losstui/content/data/make_examples.py

- house_prices.csv: regression. A price (thousands) from floor area, rooms and a district (text,
  one-hot encoded when read), in R's style: a quoted header and a row-name column "" of 1..n.
- penguins.csv: classification with text labels. Three species from bill and flipper sizes, a
  semicolon-separated file with decimal commas and a few "NA" fields, as a spreadsheet writes it.
- bike_counts.csv: counts. Bicycles past a counter per hour from temperature, rain and the hour's
  kind (text), with a rate exp(...) so the counts range from a few to about a hundred.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


def house_prices(rng: np.random.Generator, n: int = 240) -> None:
    districts = np.array(["centre", "north", "riverside"])
    premium = np.array([60.0, 0.0, 25.0])
    area = rng.uniform(40.0, 160.0, size=n)
    rooms = np.clip(np.round(area / 30.0 + rng.normal(0.0, 0.7, size=n)), 1, 6).astype(int)
    d = rng.integers(0, 3, size=n)
    price = 40.0 + 2.1 * area + 8.0 * rooms + premium[d] + rng.normal(0.0, 20.0, size=n)
    with open(HERE / "house_prices.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
        w.writerow(["", "area_m2", "rooms", "district", "price_k"])
        for i in range(n):
            w.writerow(
                [i + 1, round(area[i], 1), int(rooms[i]), districts[d[i]], round(price[i], 1)]
            )


def penguins(rng: np.random.Generator, n: int = 300) -> None:
    species = ["Adelie", "Chinstrap", "Gentoo"]
    bill = np.array([38.8, 48.8, 47.5])
    depth = np.array([18.3, 18.4, 15.0])
    flipper = np.array([190.0, 196.0, 217.0])
    k = np.arange(n) % 3
    rng.shuffle(k)
    rows = []
    for i in range(n):
        s = k[i]
        row = [
            f"{bill[s] + rng.normal(0.0, 2.8):.1f}",
            f"{depth[s] + rng.normal(0.0, 1.1):.1f}",
            f"{flipper[s] + rng.normal(0.0, 6.5):.0f}",
            species[s],
        ]
        rows.append([v.replace(".", ",") for v in row])
    for i in rng.choice(n, size=4, replace=False):
        rows[i][int(rng.integers(0, 3))] = "NA"
    with open(HERE / "penguins.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter=";", lineterminator="\n")
        w.writerow(["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "species"])
        w.writerows(rows)


def bike_counts(rng: np.random.Generator, n: int = 360) -> None:
    kinds = np.array(["night", "rush", "day"])
    effect = np.array([-1.2, 0.9, 0.2])
    temp = rng.uniform(-2.0, 30.0, size=n)
    rain = np.round(np.where(rng.uniform(size=n) < 0.7, 0.0, rng.exponential(3.0, size=n)), 1)
    kind = rng.integers(0, 3, size=n)
    rate = np.exp(1.5 + 0.05 * temp - 0.15 * rain + effect[kind])
    count = rng.poisson(rate)
    with open(HERE / "bike_counts.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["temperature_c", "rain_mm", "hour_kind", "bikes"])
        for i in range(n):
            w.writerow([f"{temp[i]:.1f}", f"{rain[i]:.1f}", kinds[kind[i]], int(count[i])])


def main() -> None:
    house_prices(np.random.default_rng(1))
    penguins(np.random.default_rng(2))
    bike_counts(np.random.default_rng(3))


if __name__ == "__main__":
    main()
