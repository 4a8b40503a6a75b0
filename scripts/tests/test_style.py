"""iowq_plots.style: one colour and marker per strategy; the legend."""

import matplotlib.pyplot as plt
from matplotlib.colors import to_hex

from iowq_plots.style import Styles, strategy_legend

LINEAGE = ["retry-5.15", "retry-5.16", "retry-6.11", "retry-6.14", "retry-6.19"]
ALL = ["naive", "pre-patch", "retry-via-workqueue", *LINEAGE, "eager", "kernel"]


def test_every_strategy_has_its_own_colour_and_marker():
    styles = Styles(ALL + ["someone-new", "another"])
    colours = [to_hex(styles.color[s]) for s in styles.color]
    assert len(set(colours)) == len(colours) == len(ALL) + 2
    assert len(set(styles.marker.values())) == len(ALL) + 2


def test_the_colours_of_a_strategy_do_not_depend_on_the_others_present():
    assert Styles(ALL).color["pre-patch"] == Styles(["pre-patch"]).color["pre-patch"]
    assert Styles(ALL).color["retry-6.11"] == Styles(["retry-6.11", "kernel"]).color["retry-6.11"]


def test_the_lineage_follows_a_sequential_colormap_in_order():
    styles = Styles(ALL)
    greens = [styles.color[s][1] for s in LINEAGE]  # viridis: the green channel rises with the value
    assert greens == sorted(greens) and len(set(greens)) == len(greens)


def test_legend_lists_the_strategies_in_the_order_given():
    styles = Styles(ALL)
    fig = plt.figure()
    legend = strategy_legend(fig, styles, ["kernel", "naive"])
    assert [t.get_text() for t in legend.get_texts()] == ["kernel", "naive"]
    plt.close(fig)
