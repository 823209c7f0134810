#!/usr/bin/env python3
"""Turn the JMH JSON of a benchmark run into the key-scaling chart (SVG) and Markdown tables.

Usage, from the repository root:

    python3 benchmarks/chart.py benchmarks/target/results/quick/jmh.json --svg benchmarks/key-scaling.svg \
        --note "quick profile, preliminary" --tables

The chart plots KeyScalingBenchmark: time per admitted check against the number of tracked keys,
one line per contender, uniform and Zipf keys side by side. --tables prints every benchmark's results
and the ratios of tierlimit to each peer as Markdown. Only the Python standard library is used.
"""

import argparse
import json
import math
import sys
from collections import defaultdict
from xml.sax.saxutils import escape

KEY_SCALING = "dev.tierlimit.benchmarks.KeyScalingBenchmark.check"

# Display names and colours, in legend order. Colours are from the Okabe-Ito palette, which stays
# distinguishable for the common forms of colour blindness.
CONTENDERS = [
    ("TIERLIMIT", "tierlimit tryConsume", "#0072B2"),
    ("TIERLIMIT_DECISION", "tierlimit tryAcquire", "#56B4E9"),
    ("BUCKET4J", "Bucket4j tryConsume", "#D55E00"),
    ("BUCKET4J_PROBE", "Bucket4j tryConsumeAndReturnRemaining", "#E69F00"),
    ("RESILIENCE4J", "Resilience4j AtomicRateLimiter", "#009E73"),
    ("GUAVA", "Guava RateLimiter", "#CC79A7"),
    ("SLIDING_LOG", "sliding log", "#000000"),
]
LABELS = {name: label for name, label, _ in CONTENDERS}

# (tierlimit variant, peer) pairs whose ratio the tables report: boolean result against boolean
# result, full result object against full result object, and the boolean path against the
# single-limit peers.
RATIOS = [
    ("TIERLIMIT", "BUCKET4J"),
    ("TIERLIMIT_DECISION", "BUCKET4J_PROBE"),
    ("TIERLIMIT", "RESILIENCE4J"),
    ("TIERLIMIT", "GUAVA"),
    ("TIERLIMIT", "SLIDING_LOG"),
]


def load(path):
    with open(path, encoding="utf-8") as source:
        return json.load(source)


def score(result):
    return result["primaryMetric"]["score"]


def allocation(result):
    metric = result.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
    return None if metric is None else metric["score"]


def key_scaling_series(results):
    """Return {distribution: {contender: [(keys, ns per check), ...]}} sorted by keys."""
    series = defaultdict(lambda: defaultdict(list))
    for result in results:
        if result["benchmark"] != KEY_SCALING:
            continue
        params = result["params"]
        series[params["distribution"]][params["contender"]].append((int(params["keys"]), score(result)))
    for by_contender in series.values():
        for points in by_contender.values():
            points.sort()
    return series


def log_ticks(low, high):
    """Return 1-2-5 ticks per decade covering [low, high], and the decade bounds of the axis."""
    bottom = 10 ** math.floor(math.log10(low))
    top = 10 ** math.ceil(math.log10(high))
    ticks = []
    decade = bottom
    while decade < top:
        ticks.extend(decade * factor for factor in (1, 2, 5))
        decade *= 10
    ticks.append(top)
    return bottom, top, ticks


def format_keys(keys):
    if keys >= 1_000_000 and keys % 1_000_000 == 0:
        return f"{keys // 1_000_000}M"
    if keys >= 1_000 and keys % 1_000 == 0:
        return f"{keys // 1_000}k"
    return str(keys)


def render_svg(series, note):
    """Return the chart as SVG text: one panel per distribution, both axes logarithmic, y shared."""
    distributions = [d for d in ("uniform", "zipf") if d in series]
    if not distributions:
        raise SystemExit(f"no {KEY_SCALING} results in the input; run the key-scaling benchmark first")

    panel_width, panel_height = 420, 300
    left, right, top, bottom, gap = 70, 20, 70, 60, 40
    legend_height = 22 * ((len(CONTENDERS) + 1) // 2) + 10
    width = left + len(distributions) * panel_width + (len(distributions) - 1) * gap + right
    height = top + panel_height + bottom + legend_height

    all_keys = sorted({k for d in distributions for pts in series[d].values() for k, _ in pts})
    times = [ns for d in distributions for pts in series[d].values() for _, ns in pts]
    y_min, y_max, y_ticks = log_ticks(min(times), max(times))
    log_min, log_max = math.log10(all_keys[0]), math.log10(all_keys[-1])
    log_span = log_max - log_min if log_max > log_min else 1.0

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="{left}" y="24" font-size="16" font-weight="bold">Time per admitted check against tracked keys '
        f'(lower is better)</text>',
        f'<text x="{left}" y="44" fill="#444">{escape(note)}</text>',
    ]

    for index, distribution in enumerate(distributions):
        x0 = left + index * (panel_width + gap)

        def x_of(keys, x0=x0):
            return x0 + (math.log10(keys) - log_min) / log_span * panel_width

        def y_of(ns):
            fraction = (math.log10(ns) - math.log10(y_min)) / (math.log10(y_max) - math.log10(y_min))
            return top + panel_height - fraction * panel_height

        out.append(f'<text x="{x0 + panel_width / 2}" y="{top - 8}" text-anchor="middle" font-weight="bold">'
                   f'{escape(distribution)} keys</text>')
        for tick in y_ticks:
            y = y_of(tick)
            out.append(f'<line x1="{x0}" y1="{y:.1f}" x2="{x0 + panel_width}" y2="{y:.1f}" stroke="#ddd"/>')
            if index == 0:
                out.append(f'<text x="{x0 - 6}" y="{y + 4:.1f}" text-anchor="end">{tick:g}</text>')
        for keys in all_keys:
            x = x_of(keys)
            out.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{top + panel_height}" stroke="#eee"/>')
            out.append(f'<text x="{x:.1f}" y="{top + panel_height + 18}" text-anchor="middle">{format_keys(keys)}</text>')
        out.append(f'<rect x="{x0}" y="{top}" width="{panel_width}" height="{panel_height}" fill="none" stroke="#888"/>')
        out.append(f'<text x="{x0 + panel_width / 2}" y="{top + panel_height + 40}" text-anchor="middle">'
                   f'tracked keys (log scale)</text>')

        for name, _, colour in CONTENDERS:
            points = series[distribution].get(name)
            if not points:
                continue
            path = " ".join(f"{x_of(k):.1f},{y_of(ns):.1f}" for k, ns in points)
            out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
            for k, ns in points:
                out.append(f'<circle cx="{x_of(k):.1f}" cy="{y_of(ns):.1f}" r="3" fill="{colour}">'
                           f'<title>{escape(LABELS[name])}, {k:,} keys: {ns:.1f} ns</title></circle>')

    out.append(f'<text x="18" y="{top + panel_height / 2}" text-anchor="middle" '
               f'transform="rotate(-90 18 {top + panel_height / 2})">ns per check (log scale)</text>')

    legend_top = top + panel_height + bottom
    present = {name for d in distributions for name in series[d]}
    for position, (name, label, colour) in enumerate(c for c in CONTENDERS if c[0] in present):
        x = left + (position % 2) * 420
        y = legend_top + (position // 2) * 22
        out.append(f'<line x1="{x}" y1="{y}" x2="{x + 24}" y2="{y}" stroke="{colour}" stroke-width="3"/>')
        out.append(f'<text x="{x + 32}" y="{y + 4}">{escape(label)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def short_name(benchmark):
    class_and_method = benchmark.rsplit(".", 2)
    return f"{class_and_method[-2]}.{class_and_method[-1]}"


def format_number(value):
    # JMH writes "NaN" as a string where it cannot compute an error, for example from one iteration.
    if value is None or isinstance(value, str) or math.isnan(value):
        return "n/a"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.1f}" if abs(value) >= 10 else f"{value:,.2f}"


def results_tables(results):
    """Return one Markdown table per benchmark method: parameters, score, error, unit, allocation."""
    by_benchmark = defaultdict(list)
    for result in results:
        by_benchmark[result["benchmark"]].append(result)
    lines = []
    for benchmark, rows in by_benchmark.items():
        param_names = list(rows[0].get("params", {}).keys())
        unit = rows[0]["primaryMetric"]["scoreUnit"]
        lines.append(f"#### {short_name(benchmark)} ({rows[0]['mode']}, {unit})")
        lines.append("")
        lines.append("| " + " | ".join(param_names + ["score", "error (99.9%)", "allocated B/op"]) + " |")
        lines.append("|" + "---|" * len(param_names) + "---:|---:|---:|")
        for row in rows:
            params = [row["params"][name] for name in param_names]
            error = row["primaryMetric"].get("scoreError")
            lines.append("| " + " | ".join(params + [format_number(score(row)), format_number(error),
                                                       format_number(allocation(row))]) + " |")
        lines.append("")
    return "\n".join(lines)


def ratio_table(series):
    """Return tierlimit's time as a fraction of each peer's, per key count and distribution."""
    columns = [(d, k) for d in ("uniform", "zipf") if d in series
               for k in sorted({k for pts in series[d].values() for k, _ in pts})]
    lines = ["| tierlimit / peer | " + " | ".join(f"{format_keys(k)} {d}" for d, k in columns) + " |",
             "|---|" + "---:|" * len(columns)]
    for ours, peer in RATIOS:
        cells = []
        for distribution, keys in columns:
            points = series[distribution]
            mine = dict(points.get(ours, [])).get(keys)
            theirs = dict(points.get(peer, [])).get(keys)
            cells.append("n/a" if mine is None or theirs is None else f"{mine / theirs:.2f}x")
        lines.append(f"| {LABELS[ours]} / {LABELS[peer]} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", help="JMH JSON results file (-rf json)")
    parser.add_argument("--svg", help="write the key-scaling chart to this SVG file")
    parser.add_argument("--note", default="", help="subtitle of the chart, for example the profile and machine")
    parser.add_argument("--tables", action="store_true", help="print every result and the ratio table as Markdown")
    args = parser.parse_args(argv)

    results = load(args.results)
    series = key_scaling_series(results)
    if args.svg:
        with open(args.svg, "w", encoding="utf-8") as target:
            target.write(render_svg(series, args.note))
    if args.tables:
        print(results_tables(results))
        if series:
            print(ratio_table(series))
    if not args.svg and not args.tables:
        parser.error("nothing to do: give --svg FILE, --tables or both")


if __name__ == "__main__":
    main(sys.argv[1:])
