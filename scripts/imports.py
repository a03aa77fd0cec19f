#!/usr/bin/env python3
"""The import graph of src/: which module uses which, and its cycles.

    scripts/imports.py [--level N]

A module is a file's path under src/ cut to N segments (default 1: the
top-level module or folder). An edge a -> b means a file of a names
`crate::b...` (in a `use` or inline). Prints the edges and every strongly
connected component of more than one module; exits 1 if there is one.
"""
import os, re, sys
from collections import defaultdict

level = 1
if "--level" in sys.argv:
    level = int(sys.argv[sys.argv.index("--level") + 1])
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")

def module_of(path):
    rel = os.path.relpath(path, root)[:-3].split(os.sep)
    if rel[-1] == "mod":
        rel = rel[:-1]
    return rel

def strip(text):
    # Drop comments, strings and #[cfg(test)] modules: tests may reach anywhere.
    text = re.sub(r"//[^\n]*", "", text)
    text = re.sub(r'"(\\.|[^"\\])*"', '""', text)
    m = re.search(r"#\[cfg\(test\)\]\s*mod tests", text)
    return text[: m.start()] if m else text

edges = defaultdict(set)
for dirpath, _, files in os.walk(root):
    for f in files:
        if not f.endswith(".rs"):
            continue
        path = os.path.join(dirpath, f)
        me = module_of(path)
        if me in (["lib"], ["main"]):
            continue
        src = strip(open(path).read())
        # `use crate::{a, b::c}` and `crate::a::b` inline.
        refs = []
        for group in re.findall(r"crate::\{([^}]*(?:\{[^}]*\}[^}]*)*)\}", src):
            refs += [p.strip().split("::") for p in re.split(r",(?![^{]*\})", group) if p.strip()]
        refs += [r.split("::") for r in re.findall(r"crate::((?:[a-z_][a-z0-9_]*)(?:::[a-z_][a-z0-9_]*)*)", src)]
        a = "/".join(me[:level])
        for r in refs:
            r = [s for s in r if s and s[0].islower()]
            if not r:
                continue
            b = "/".join(r[:level])
            if b != a and not b.startswith(a + "/") and not a.startswith(b + "/"):
                edges[a].add(b)

# Tarjan's strongly connected components.
index, low, stack, on, sccs = {}, {}, [], set(), []
def visit(v, counter=[0]):
    index[v] = low[v] = counter[0]; counter[0] += 1
    stack.append(v); on.add(v)
    for w in sorted(edges.get(v, ())):
        if w not in index:
            visit(w); low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop(); on.discard(w); comp.append(w)
            if w == v:
                break
        sccs.append(sorted(comp))
sys.setrecursionlimit(10000)
for v in sorted(set(edges) | {w for ws in edges.values() for w in ws}):
    if v not in index:
        visit(v)
for a in sorted(edges):
    print(f"{a} -> {', '.join(sorted(edges[a]))}")
cycles = [c for c in sccs if len(c) > 1]
for c in cycles:
    inside = [f"{a}->{b}" for a in c for b in sorted(edges[a]) if b in c]
    print(f"CYCLE: {' '.join(c)}\n  edges: {', '.join(inside)}")
print(f"{len(cycles)} cycle(s)")
sys.exit(1 if cycles else 0)
