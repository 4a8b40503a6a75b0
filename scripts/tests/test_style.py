"""iowq_plots.style: one colour and marker per strategy, by the vocabulary's families; the legend."""

import matplotlib.pyplot as plt
from matplotlib.colors import to_hex

from iowq_plots import style
from iowq_plots.data import Vocabulary
from iowq_plots.style import Styles, strategy_legend

from .runs import LINEAGE, VOCABULARY, vocabulary

WORDS = Vocabulary.from_json(VOCABULARY, "test")
ALL = WORDS.names()


def test_every_strategy_has_its_own_colour_and_marker():
    styles = Styles(WORDS, ALL + ["someone-new", "another"])
    colours = [to_hex(styles.color[s]) for s in styles.color]
    assert len(set(colours)) == len(colours) == len(ALL) + 2
    assert len(set(styles.marker.values())) == len(ALL) + 2


def test_classic_and_kernel_colours_by_family_and_listed_order():
    styles = Styles(WORDS, ALL)
    assert [styles.color[s] for s in WORDS.names("classic")] == style.CLASSIC_COLORS
    assert styles.color["kernel"] == style.KERNEL_COLORS[0]


def test_a_strategy_keeps_its_colour_whatever_else_the_run_has():
    assert Styles(WORDS, ALL).color["pre-patch"] == Styles(WORDS, ["pre-patch"]).color["pre-patch"]
    assert Styles(WORDS, ALL).color["retry-6.11"] == Styles(WORDS, ["retry-6.11", "kernel"]).color["retry-6.11"]


def test_the_lineage_follows_a_sequential_colormap_in_its_listed_order():
    styles = Styles(WORDS, ALL)
    greens = [styles.color[s][1] for s in LINEAGE]  # viridis: the green channel rises with the value
    assert greens == sorted(greens) and len(set(greens)) == len(greens)
    backwards = Vocabulary.from_json(vocabulary(*[(n, "lineage") for n in reversed(LINEAGE)]), "test")
    assert Styles(backwards, LINEAGE).color["retry-6.19"] == styles.color["retry-5.15"]


def test_peers_have_their_own_colours_and_markers():
    words = Vocabulary.from_json(vocabulary(("naive", "classic"), ("retry-6.19", "lineage"), ("kernel", "kernel"),
                                            ("peer-a", "peer"), ("peer-b", "peer"), ("peer-c", "peer")), "test")
    styles = Styles(words, words.names())
    peers = words.names("peer")
    others = [n for n in words.names() if n not in peers]
    assert {styles.marker[p] for p in peers} == set(style.PEER_MARKERS[:3])
    assert not {styles.marker[p] for p in peers} & {styles.marker[o] for o in others}
    assert styles.color["peer-a"] != styles.color["peer-b"] != styles.color["peer-c"]
    assert not {to_hex(styles.color[p]) for p in peers} & {to_hex(styles.color[o]) for o in others}
    reds = [styles.color[p][0] for p in peers]  # RdPu darkens along the ramp
    assert reds == sorted(reds, reverse=True)


def test_an_unknown_family_takes_the_extra_colours():
    words = Vocabulary.from_json(vocabulary(("naive", "classic"), ("future", "someday")), "test")
    assert Styles(words, ["naive", "future"]).color["future"] == style.EXTRA_COLORS[0]


def test_legend_lists_the_strategies_in_the_order_given():
    styles = Styles(WORDS, ALL)
    fig = plt.figure()
    legend = strategy_legend(fig, styles, ["kernel", "naive"])
    assert [t.get_text() for t in legend.get_texts()] == ["kernel", "naive"]
    plt.close(fig)


def test_legend_labels_and_markers_on_request():
    styles = Styles(WORDS, ALL)
    fig = plt.figure()
    legend = strategy_legend(fig, styles, ["naive", "kernel"], labels={"naive": "naive (n=3)"}, markers=False)
    assert [t.get_text() for t in legend.get_texts()] == ["naive (n=3)", "kernel"]
    assert all(h.get_marker() in (None, "None", "") for h in legend.legend_handles)
    plt.close(fig)
