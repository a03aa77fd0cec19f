#!/usr/bin/env python3
"""Fill a palim template with a JSON scenario the way another tool would:
openpyxl, an implementation independent of palim's, finds each column by its
header text (in whatever language the template was written) and types the
cells as a spreadsheet holds them (dates as date cells, lists as text).

    fill_template.py TEMPLATE.xlsx SCENARIO.json OUT.xlsx
"""
import datetime
import json
import sys

import openpyxl

template, scenario_path, out = sys.argv[1:4]
s = json.load(open(scenario_path))
wb = openpyxl.load_workbook(template)


def date(v):
    return datetime.date.fromisoformat(v) if isinstance(v, str) else v


def headers(ws):
    return {c.value: c.column for c in ws[1] if c.value}


def sheet(index):
    # Sheets are found by position, as a tool that reads the About sheet
    # would: About, Settings, Destinations, Salary floors, Blackouts,
    # Trainees, Vacancies, Group shares, Locks and forbids, Pair scores.
    return wb.worksheets[index]


def fill(ws, rows):
    """rows: lists of values in the template's column order (None: empty)."""
    for r, values in enumerate(rows, start=2):
        for c, v in enumerate(values, start=1):
            if v is None:
                continue
            cell = ws.cell(row=r, column=c, value=v)
            if isinstance(v, datetime.date):
                cell.number_format = "yyyy-mm-dd"


def join(xs):
    return ", ".join(xs) if xs else None


settings = sheet(1)
values = [s.get("name"), s["model"], s.get("max_per_employer"), None]
objective = s.get("objective", {})
w = objective.get("weights", {})
values += [join(objective.get("priorities", [])), w.get("fit"), w.get("trainee_preference"), w.get("employer_preference")]
for r, v in enumerate(values, start=2):
    if v is not None:
        settings.cell(row=r, column=2, value=v)

dest_rows, floor_rows, blackout_rows = [], [], []
for code, d in s["destinations"].items():
    win = d.get("start_window", {})
    dist = d.get("permit_days_distribution")
    dist_text = None
    if dist and "triangular" in dist:
        t = dist["triangular"]
        dist_text = f"triangular: {t['min']}, {t['mode']}, {t['max']}"
    elif dist:
        dist_text = "empirical: " + ", ".join(str(x) for x in dist["empirical"])
    dest_rows.append([code, d.get("label"), d.get("min"), d.get("max"), d.get("permit_days"), dist_text,
                      date(win.get("earliest")), date(win.get("latest")), d.get("currency")])
    for f in d.get("salary_floor", []):
        floor_rows.append([code, f.get("under_age"), f["annual"]])
    for b in d.get("blackouts", []):
        blackout_rows.append([code, date(b["from"]), date(b["to"]), b.get("why")])
fill(sheet(2), dest_rows)
fill(sheet(3), floor_rows)
fill(sheet(4), blackout_rows)

trainees = sheet(5)
th = headers(trainees)
fixed = 8
skill_cols = {name: col for name, col in th.items() if col > fixed}
# Attributes get columns the officer adds at the right, headed "attribute: KEY"
# (the English prefix is read whatever the template's language).
keys = sorted({k for t in s["trainees"] for k in t.get("attributes", {})})
last = max(th.values())
attr_cols = {k: last + 1 + i for i, k in enumerate(keys)}
for k, col in attr_cols.items():
    trainees.cell(row=1, column=col, value=f"attribute: {k}")
rows = []
for t in s["trainees"]:
    row = [t["id"], t.get("gender"), date(t.get("birth_date")), t.get("region"), join(t.get("destinations", [])),
           date(t["available_from"]), date(t.get("documents_ready")), join(t.get("ranking", []))]
    row += [None] * (last + len(keys) - fixed)
    for skill, level in t.get("skills", {}).items():
        row[skill_cols[skill] - 1] = level
    for k, value in t.get("attributes", {}).items():
        row[attr_cols[k] - 1] = value
    rows.append(row)
fill(trainees, rows)

vacancies = sheet(6)
vh = headers(vacancies)
fixed = 10
rows = []
for v in s["vacancies"]:
    win = v.get("start_window", {})
    row = [v["id"], v.get("employer"), v.get("title"), v["destination"], v.get("region"), v.get("positions"),
           v.get("salary"), date(win.get("earliest")), date(win.get("latest")), join(v.get("ranking", []))]
    row += [None] * (max(vh.values()) - fixed)
    # The family columns: every required level, then every weight, in the
    # same order of skills, each headed "<prefix>: <skill>" in the template's language.
    family = sorted((col, name) for name, col in vh.items() if col > fixed)
    half = len(family) // 2
    for k, (col, name) in enumerate(family):
        skill = name.split(":", 1)[1].strip()
        source = v.get("requires", {}) if k < half else v.get("values", {})
        if skill in source:
            row[col - 1] = source[skill]
    rows.append(row)
fill(vacancies, rows)

shares = []
for g in s.get("group_shares", []):
    shares.append([g.get("destination"), g["attribute"], g["value"], g.get("min_share"), g.get("max_share")])
fill(sheet(7), shares)
decisions = [["lock", p["trainee"], p["vacancy"], p.get("why")] for p in s.get("locks", [])]
decisions += [["forbid", p["trainee"], p["vacancy"], p.get("why")] for p in s.get("forbids", [])]
fill(sheet(8), decisions)
fill(sheet(9), [[p["trainee"], p["vacancy"], p["score"]] for p in s.get("pair_scores", [])])
wb.save(out)
