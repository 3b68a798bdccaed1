#!/usr/bin/env python3
"""The script an analyst would write instead of hoctap: the peer of
script/bench-e2e. It reads the registrations and every survey export of a
ward folder with pandas, keeps each person's latest assessment on or before
the month's last day, counts the people eligible (a total of at least 80
points with no indicator below 5) per ward and draws one bar chart.

usage: analyst.py INBOX_WARD_FOLDER YYYY-MM OUT.png
It prints "ward,registered,eligible" lines (eligible by the scores: the
analyst has no decisions of recognition).
"""
import glob
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

folder, month, out = sys.argv[1], sys.argv[2], sys.argv[3]
month_end = (pd.Period(month, "M").end_time).normalize()

citizens = pd.read_csv(os.path.join(folder, "citizens.csv"), dtype=str)
citizens["registered_on"] = pd.to_datetime(citizens["Ngày đăng ký"], format="%d/%m/%Y")
citizens = citizens[citizens["registered_on"] <= month_end]

surveys = pd.concat(
    [pd.read_csv(p) for p in sorted(glob.glob(os.path.join(folder, "assessments_*.csv")))],
    ignore_index=True,
)
surveys["assessed_on"] = pd.to_datetime(surveys["Ngày đánh giá"], format="%d/%m/%Y")
surveys = surveys[surveys["assessed_on"] <= month_end]
scores = [f"Chỉ số {i}" for i in range(1, 11)]
surveys = surveys.dropna(subset=scores)
latest = surveys.sort_values("assessed_on").groupby("Mã công dân").tail(1)
latest = latest.assign(
    total=latest[scores].sum(axis=1),
    min_score=latest[scores].min(axis=1),
)
latest["eligible"] = (latest["total"] >= 80) & (latest["min_score"] >= 5)

people = citizens.merge(latest, on="Mã công dân", how="left")
people["eligible"] = people["eligible"].fillna(False).astype(bool)
per_ward = people.groupby("Xã/phường").agg(
    registered=("Mã công dân", "size"), eligible=("eligible", "sum")
)
for ward, row in per_ward.iterrows():
    print(f"{ward},{row.registered},{row.eligible}")

fig, ax = plt.subplots(figsize=(8, 4.5))
ax.bar(per_ward.index, per_ward["eligible"], label="Công dân học tập")
ax.set_title(f"Công dân học tập theo xã, phường, {month}")
ax.set_ylabel("người")
fig.tight_layout()
fig.savefig(out, dpi=200)
