#!/usr/bin/env python3
"""Fails when files of one crate import each other in a circle.

Every path through `crate::`, `super::` or `self::` in a file (in `use` trees and inline,
outside `#[cfg(test)]` code) is an edge to the file that defines the module it names. A module
and its own sub-modules are left out of each other's edges: a parent re-exporting its children
and a child using its parent's shared types is the normal shape of a Rust module. Any other
circle (a.rs uses b.rs, which uses a.rs) means the two are one piece cut in the wrong place:
move what both need into a module both import.

Usage: scripts/check-import-cycles.py <crate src dir>...   (no argument: every crate here)
"""
import glob
import os
import re
import sys

PATH = re.compile(r"\b(crate|super|self)((?:::(?:super|\w+))+)")
USE = re.compile(r"\buse\s+((?:crate|super|self)\b[^;]*);", re.S)


def module_of(src, path):
    parts = os.path.relpath(path, src)[:-3].split(os.sep)
    if parts[-1] in ("mod", "lib", "main"):
        parts = parts[:-1]
    return tuple(parts)


def expand(tree):
    """`a::{b, c::{d, e}}` → ["a::b", "a::c::d", "a::c::e"] (aliases dropped)."""
    tree = re.sub(r"\s+", "", tree)
    depth, start = 0, None
    for i, ch in enumerate(tree):
        if ch == "{":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                prefix, inner, rest = tree[:start], tree[start + 1:i], tree[i + 1:]
                items, level, last = [], 0, 0
                for j, c in enumerate(inner):
                    level += c == "{"
                    level -= c == "}"
                    if c == "," and level == 0:
                        items.append(inner[last:j])
                        last = j + 1
                items.append(inner[last:])
                out = []
                for item in filter(None, items):
                    for sub in expand(item):
                        out.append(prefix + sub + rest if sub != "self" else prefix.rstrip(":"))
                return out
    return [re.sub(r"as\w+$", "", tree)]


def resolve(module, path):
    parts = path.split("::")
    head, rest = parts[0], parts[1:]
    if head == "crate":
        base = []
    elif head == "self":
        base = list(module)
    else:
        base = list(module[:-1])
    while rest and rest[0] == "super":
        base, rest = base[:-1], rest[1:]
    return base + rest


def scan(src):
    files = {module_of(src, p): p for p in glob.glob(os.path.join(src, "**", "*.rs"), recursive=True)}
    edges = {}
    for module, path in files.items():
        if any(part.startswith("tests") or part.endswith("_tests") for part in module):
            continue
        text = open(path, encoding="utf-8").read().split("#[cfg(test)]")[0]
        text = re.sub(r"//[^\n]*", "", text)
        paths = [p for tree in USE.findall(text) for p in expand(tree)]
        paths += [m.group(1) + m.group(2) for m in PATH.finditer(USE.sub("", text))]
        for p in paths:
            target = resolve(module, p)
            for i in range(len(target), 0, -1):
                key = tuple(target[:i])
                if key in files:
                    related = key[: len(module)] == module or module[: len(key)] == key
                    if not related:
                        edges.setdefault(module, set()).add(key)
                    break
    return files, edges


def circles(nodes, edges):
    index, low, stack, on, found, counter = {}, {}, [], set(), [], [0]
    sys.setrecursionlimit(100000)

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return found


def main(dirs):
    if not dirs:
        dirs = sorted(glob.glob("crates/*/src")) + ["src-tauri/src", "ui/src", "e2e/src"]
    failed = False
    for src in dirs:
        files, edges = scan(src)
        for group in circles(files, edges):
            failed = True
            names = ["/".join(m) + ".rs" for m in group]
            print(f"{src}: import circle between {', '.join(names)}")
            for m in group:
                inner = sorted("/".join(t) + ".rs" for t in edges.get(m, ()) if t in group)
                print(f"    {'/'.join(m)}.rs uses {', '.join(inner)}")
    if failed:
        sys.exit(1)
    print(f"no import circles in {len(dirs)} crates")


if __name__ == "__main__":
    main(sys.argv[1:])
