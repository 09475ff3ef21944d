"""The SVG charts a page drew (dashboard/ui/svg_charts.py), read back from an AppTest run or from markup."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from streamlit.testing.v1 import AppTest

SVG = "{http://www.w3.org/2000/svg}"


def charts(test: AppTest) -> dict[str, ET.Element]:
    """name (data-chart) -> the chart's root element, for every SVG chart drawn as markdown."""
    found = {}
    for block in test.markdown:
        if block.value.startswith("<svg"):
            root = ET.fromstring(block.value)
            found[root.attrib["data-chart"]] = root
    return found


def bars(root: ET.Element) -> list[tuple[str, int]]:
    """(label, kopecks) of each bar, left to right."""
    return [
        (r.attrib["data-label"], int(r.attrib["data-kopecks"]))
        for r in root.iter(f"{SVG}rect")
        if "data-kopecks" in r.attrib
    ]


def texts(root: ET.Element) -> list[str]:
    """Every text drawn (axis labels, ticks, captions, legend), in order."""
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def titles(root: ET.Element) -> list[str]:
    """Every tooltip."""
    return [t.text or "" for t in root.iter(f"{SVG}title")]
