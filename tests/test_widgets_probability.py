"""The section 1.2 figures and controls (distribution explorer, Beta posterior, variance
estimators) driven from Python, with what they draw checked against scipy.stats.

Rendering PNGs dominates the cost of these tests, so most of them replace
``canvas_png`` by a cheap fingerprint of the axes (title, lines, bars, limits, legend);
the tests that are about the image itself (it changes, the static HTML is
deterministic) render real PNGs.
"""

import base64
import io
import itertools
import json
import math
import re

import numpy as np
import pytest
import scipy.stats
from matplotlib.patches import StepPatch
from PIL import Image

from notes_lib import plotting, widgets
from notes_lib import probability as P
from notes_lib.widgets import _core as widgets_core
from notes_lib.widgets import foundations as widgets_foundations

Z = 5.0  # sampling checks allow Z standard errors (a 5-sigma event has p ~ 6e-7)
ALPHA = 1e-7  # two-sided tail probability allowed for one histogram bin's count

SCIPY = {
    "Bernoulli": lambda p: scipy.stats.bernoulli(p),
    "Binomial": lambda n, p: scipy.stats.binom(n, p),
    "Poisson": lambda lam: scipy.stats.poisson(lam),
    "Uniform": lambda a, b: scipy.stats.uniform(loc=a, scale=b - a),
    "Normal": lambda mu, sigma: scipy.stats.norm(loc=mu, scale=sigma),
    "Exponential": lambda lam: scipy.stats.expon(scale=1.0 / lam),
    "Beta": lambda a, b: scipy.stats.beta(a, b),
}
DISCRETE = {"Bernoulli", "Binomial", "Poisson"}


# ---------------------------------------------------------------- helpers


def shown_title(ax) -> str:
    """The title a reader sees: the axes' own, or a live control's moving title (a text
    placed where ``set_title`` puts it, drawn over the cached background)."""
    moving = [t.get_text() for t in ax.texts
              if t.get_position() == (0.5, 1.0) and t.get_ha() == "center"
              and t.get_va() == "baseline"]
    assert len(moving) <= 1 and not (moving and ax.get_title())
    return moving[0] if moving else ax.get_title()


def axes_state(ax) -> dict:
    """What a reader sees on ``ax``, as plain data."""
    lines = {ln.get_label(): [np.asarray(ln.get_xdata(), float).tolist(),
                              np.asarray(ln.get_ydata(), float).tolist()] for ln in ax.lines}
    bars = [[p.get_x(), p.get_width(), p.get_height()] if not isinstance(p, StepPatch)
            else [np.asarray(v, float).tolist() for v in p.get_data()]  # a histogram's steps
            for p in ax.patches]
    legend = ax.get_legend()
    return {
        "title": shown_title(ax),
        "xlabel": ax.get_xlabel(),
        "lines": lines,
        "bars": bars,
        "xlim": list(ax.get_xlim()),
        "ylim": list(ax.get_ylim()),
        "legend": [t.get_text() for t in legend.get_texts()] if legend else [],
        "texts": [t.get_text() for t in ax.texts],
    }


def fingerprint_png(fig, *args, **kwargs):
    """Stand-in for ``canvas_png``: the axes' state as JSON bytes instead of a PNG."""
    return json.dumps(axes_state(fig.axes[0]), sort_keys=True).encode()


@pytest.fixture
def no_render(monkeypatch):
    monkeypatch.setattr(widgets_core, "canvas_png", fingerprint_png)


@pytest.fixture
def drawn_titles(monkeypatch):
    """Like ``no_render``, and records the title of every figure sent to the browser."""
    titles = []

    def record(fig, compress_level=1):
        titles.append(shown_title(fig.axes[0]))
        return fingerprint_png(fig)

    monkeypatch.setattr(widgets_core, "canvas_png", record)
    return titles


@pytest.fixture(scope="module")
def shared_ax():
    """One axes for the tests that only draw (each draw_* clears it first)."""
    return plotting.new_figure()[1]


def line(ax, prefix):
    (found,) = [ln for ln in ax.lines if ln.get_label().startswith(prefix)]
    return found


def vline_x(ax, prefix):
    x = line(ax, prefix).get_xdata()
    assert x[0] == x[1]
    return float(x[0])


def span(ax, prefix="± 1 sd"):
    (rect,) = [p for p in ax.patches if p.get_label().startswith(prefix)]
    return rect.get_x(), rect.get_x() + rect.get_width()


def title_for(name, params):
    return f"{name}(" + ", ".join(f"{k}={v:g}" for k, v in params.items()) + ")"


def check_distribution_drawing(ax, name, params):
    """The density line, mean and ± 1 sd band on ``ax`` are those of scipy's distribution."""
    ref = SCIPY[name](**params)
    assert shown_title(ax) == title_for(name, params)
    if name in DISCRETE:
        x, y = line(ax, "pmf").get_data()
        assert np.all(x == np.arange(x.size))  # the integers 0, 1, 2, ...
        np.testing.assert_allclose(y, ref.pmf(x), rtol=1e-10, atol=0)
        assert ref.cdf(x[-1]) > 1 - 1e-4  # the figure shows (virtually) all the mass
        assert ax.get_xlabel() == "$k$"
    else:
        x, y = line(ax, "pdf").get_data()
        np.testing.assert_allclose(y, ref.pdf(x), rtol=1e-10, atol=0)
        assert ref.cdf(x[-1]) - ref.cdf(x[0]) > 0.99
        assert ax.get_xlabel() == "$x$"
    assert vline_x(ax, "mean =") == pytest.approx(ref.mean(), rel=1e-12, abs=1e-12)
    lo, hi = span(ax)
    assert (lo, hi) == pytest.approx((ref.mean() - ref.std(), ref.mean() + ref.std()),
                                     rel=1e-12, abs=1e-12)


def binomial_interval(n, q):
    """Counts outside this interval have probability at most ALPHA under Binomial(n, q)."""
    if q <= 0:
        return 0, 0
    if q >= 1:
        return n, n
    ref = scipy.stats.binom(n, q)
    return ref.ppf(ALPHA / 2), ref.isf(ALPHA / 2)


def assert_counts_follow(counts, n, probs):
    """Each bin's count is a Binomial(n, q) draw: it must lie in its (1 - ALPHA) interval."""
    for count, q in zip(counts, probs, strict=True):
        lo, hi = binomial_interval(n, q)
        assert lo <= count <= hi, (count, n, q)


def bin_counts(container, n_inside):
    """Counts behind a ``density=True`` histogram of ``n_inside`` values."""
    rects = list(container)
    edges = np.array([r.get_x() for r in rects] + [rects[-1].get_x() + rects[-1].get_width()])
    heights = np.array([r.get_height() for r in rects])
    counts = heights * np.diff(edges) * n_inside
    np.testing.assert_allclose(counts, np.round(counts), atol=1e-6)
    return edges, np.round(counts)


def _png(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


# ---------------------------------------------------------------- draw_distribution


CASES = [
    ("Bernoulli", {"p": 0.0}), ("Bernoulli", {"p": 0.35}), ("Bernoulli", {"p": 1.0}),
    ("Binomial", {"n": 1, "p": 0.5}), ("Binomial", {"n": 25, "p": 0.8}),
    ("Poisson", {"lam": 0.2}), ("Poisson", {"lam": 12.5}),
    ("Uniform", {"a": -1.5, "b": 3.0}),
    ("Normal", {"mu": -1.0, "sigma": 0.3}),
    ("Exponential", {"lam": 2.5}),
    ("Beta", {"a": 0.5, "b": 0.5}), ("Beta", {"a": 1.0, "b": 1.0}), ("Beta", {"a": 8.0, "b": 3.0}),
]


@pytest.mark.parametrize(("name", "params"), CASES, ids=lambda v: str(v))
def test_draw_distribution_draws_the_scipy_density_mean_and_sd(shared_ax, name, params):
    ax = shared_ax
    plotting.draw_distribution(ax, P.DISTRIBUTIONS[name](**params), n_samples=200, seed=3)
    check_distribution_drawing(ax, name, params)
    assert "200 samples" in axes_state(ax)["texts"][-1].split("\n")  # the numbers' box
    assert "samples" in axes_state(ax)["legend"]


def test_draw_distribution_discrete_histogram_follows_the_pmf():
    n_samples = 4000
    _fig, ax = plotting.new_figure()
    plotting.draw_distribution(ax, P.Binomial(30, 0.4), n_samples=n_samples, seed=11)
    (bars,) = ax.containers
    k = np.array([r.get_x() + r.get_width() / 2 for r in bars])
    np.testing.assert_allclose(k, np.arange(k.size), atol=1e-12)
    counts = np.array([r.get_height() for r in bars]) * n_samples
    np.testing.assert_allclose(counts, np.round(counts), atol=1e-6)
    assert_counts_follow(np.round(counts), n_samples, scipy.stats.binom(30, 0.4).pmf(k))


def test_draw_distribution_continuous_histogram_follows_the_cdf():
    # the drawn range of a Uniform holds every sample, so the histogram has n_samples values
    n_samples = 4000
    _fig, ax = plotting.new_figure()
    plotting.draw_distribution(ax, P.Uniform(1.0, 4.0), n_samples=n_samples, seed=5)
    (hist,) = ax.containers
    edges, counts = bin_counts(hist, n_samples)
    assert counts.sum() == n_samples
    ref = scipy.stats.uniform(1.0, 3.0)
    assert_counts_follow(counts, n_samples, np.diff(ref.cdf(edges)))


def test_draw_distribution_seed_and_sample_count():
    _fig, ax = plotting.new_figure()
    dist = P.Normal(0.0, 1.0)
    plotting.draw_distribution(ax, dist, n_samples=300, seed=1)
    first = axes_state(ax)
    plotting.draw_distribution(ax, dist, n_samples=300, seed=1)
    assert axes_state(ax) == first  # redrawing clears: nothing accumulates
    plotting.draw_distribution(ax, dist, n_samples=300, seed=2)
    assert axes_state(ax)["bars"] != first["bars"]
    plotting.draw_distribution(ax, dist, n_samples=0)
    assert ax.containers == [] and not any("samples" in t for t in axes_state(ax)["legend"])
    assert not any("samples" in t for t in axes_state(ax)["texts"])
    check_distribution_drawing(ax, "Normal", {"mu": 0.0, "sigma": 1.0})


# ---------------------------------------------------------------- distribution_widget


def test_distribution_widget_switches_through_all_six_distributions(drawn_titles):
    names = list(widgets.EXPLORER_PARAMETERS)
    assert names == ["Bernoulli", "Binomial", "Poisson", "Uniform", "Normal", "Exponential"]
    w = widgets.distribution_widget("Exponential")
    assert list(w.controls["distribution"].options) == names
    images = {w.image.value}
    for name in names:
        drawn_titles.clear()
        w.controls["distribution"].value = name
        assert w.error.value == ""
        spec = widgets.EXPLORER_PARAMETERS[name]
        sliders = [w.controls["theta1"], w.controls["theta2"]]
        visible = [s for s in sliders if s.layout.display != "none"]
        assert [s.description for s in visible] == list(spec)
        for slider, (lo, hi, step, value) in zip(visible, spec.values(), strict=True):
            assert (slider.min, slider.max, slider.step, slider.value) == (lo, hi, step, value)
        for hidden in sliders[len(spec):]:
            assert hidden.layout.display == "none"
        params = {k: (round(v[3]) if k == "n" else v[3]) for k, v in spec.items()}
        check_distribution_drawing(w.ax, name, params)
        # the sliders are reconfigured before drawing: the reader never sees a figure
        # with the new distribution and the old one's parameter values
        assert set(drawn_titles) == {title_for(name, params)}
        images.add(w.image.value)
    assert len(images) == len(names)  # every distribution changed the picture


def test_distribution_widget_redraws_for_new_parameters(monkeypatch):
    w = widgets.distribution_widget("Binomial")  # real PNGs first
    check_distribution_drawing(w.ax, "Binomial", {"n": 10, "p": 0.3})
    before = w.image.value
    assert _png(before).size[0] > 100
    with w.paused():
        w.controls["theta1"].value = 25
        w.controls["theta2"].value = 0.65
    assert w.image.value != before
    assert _png(w.image.value).size == _png(before).size
    check_distribution_drawing(w.ax, "Binomial", {"n": 25, "p": 0.65})

    monkeypatch.setattr(widgets_core, "canvas_png", fingerprint_png)
    w.controls["theta1"].value = 26
    check_distribution_drawing(w.ax, "Binomial", {"n": 26, "p": 0.65})

    w.controls["distribution"].value = "Normal"
    with w.paused():
        w.controls["theta1"].value = 2.5
        w.controls["theta2"].value = 0.4
    check_distribution_drawing(w.ax, "Normal", {"mu": 2.5, "sigma": 0.4})

    w.controls["samples"].value = 0
    assert w.ax.containers == []
    w.controls["samples"].value = 6500
    assert "6500 samples" in axes_state(w.ax)["texts"][-1].split("\n")
    assert "samples" in axes_state(w.ax)["legend"]


def test_distribution_widget_uniform_with_a_not_below_b_shows_an_error(no_render):
    w = widgets.distribution_widget("Uniform")
    before = w.image.value
    w.controls["theta1"].value = 3.0  # a = 3 > b = 2
    assert "a must be &lt; b" in w.error.value  # the message, HTML-escaped
    assert w.image.value == before
    w.controls["theta2"].value = 3.0  # a = b
    assert "a must be &lt; b" in w.error.value
    w.controls["theta2"].value = 4.0
    assert w.error.value == ""
    check_distribution_drawing(w.ax, "Uniform", {"a": 3.0, "b": 4.0})


def test_distribution_widget_draws_at_every_slider_extreme(no_render):
    w = widgets.distribution_widget()
    w.controls["samples"].value = 0  # the histogram is tested elsewhere
    for name, spec in widgets.EXPLORER_PARAMETERS.items():
        w.controls["distribution"].value = name
        for corner in itertools.product(*[(lo, hi) for lo, hi, _step, _v in spec.values()]):
            with w.paused():
                for key, value in zip(("theta1", "theta2"), corner, strict=False):
                    w.controls[key].value = value
            combo = dict(zip(spec, corner, strict=True))
            if name == "Uniform" and combo["a"] >= combo["b"]:
                assert "a must be &lt; b" in w.error.value
                continue
            assert w.error.value == "", (name, combo)
            params = {k: (round(v) if k == "n" else v) for k, v in combo.items()}
            check_distribution_drawing(w.ax, name, params)


def test_distribution_widget_histogram_follows_the_distribution(no_render):
    w = widgets.distribution_widget("Uniform")  # all samples inside the drawn range
    n_samples = w.controls["samples"].value
    (hist,) = w.ax.containers
    edges, counts = bin_counts(hist, n_samples)
    assert counts.sum() == n_samples
    assert_counts_follow(counts, n_samples, np.diff(scipy.stats.uniform(0.0, 2.0).cdf(edges)))


def test_distribution_widget_rejects_unknown_distribution():
    with pytest.raises(ValueError, match="distribution must be one of"):
        widgets.distribution_widget("Cauchy")
    with pytest.raises(ValueError, match="distribution must be one of"):
        widgets.distribution_widget("Beta")  # drawable, but not in the explorer


# ---------------------------------------------------------------- coin flips, Beta posterior


def test_coin_flips_are_a_fixed_sequence_of_bernoulli_draws():
    long = widgets.coin_flips(0.3, 20_000)
    assert set(np.unique(long)) <= {0, 1}
    np.testing.assert_array_equal(widgets.coin_flips(0.3, 25), long[:25])  # "the first n"
    np.testing.assert_array_equal(widgets.coin_flips(0.3, 25, seed=0), long[:25])
    assert not np.array_equal(widgets.coin_flips(0.3, 200, seed=1), long[:200])
    assert widgets.coin_flips(0.3, 0).shape == (0,)
    p = 0.3
    assert abs(long.mean() - p) <= Z * math.sqrt(p * (1 - p) / long.size)
    assert widgets.coin_flips(0.0, 50).sum() == 0
    assert widgets.coin_flips(1.0, 50).sum() == 50


def check_beta_drawing(ax, flips, true_p, a, b):
    k = int(widgets.coin_flips(true_p, flips).sum())
    post = scipy.stats.beta(a + k, b + flips - k)
    x, y = line(ax, "posterior Beta").get_data()
    assert 0 < x.min() and x.max() < 1 and x.size > 100
    np.testing.assert_allclose(y, post.pdf(x), rtol=1e-10, atol=0)
    x, y = line(ax, "prior Beta").get_data()
    np.testing.assert_allclose(y, scipy.stats.beta(a, b).pdf(x), rtol=1e-10, atol=0)
    assert vline_x(ax, "posterior mean") == pytest.approx(post.mean(), rel=1e-12)
    assert vline_x(ax, "true p") == pytest.approx(true_p)
    assert shown_title(ax) == f"After {flips} flips: {k} heads, {flips - k} tails"


def test_beta_posterior_widget_image_changes_with_flips_seen():
    w = widgets.beta_posterior_widget()
    first = w.image.value
    assert _png(first).size[0] > 100
    w.controls["flips"].value = 120
    assert w.image.value != first
    assert w.error.value == ""
    check_beta_drawing(w.ax, 120, 0.7, 1.0, 1.0)


@pytest.mark.parametrize(("flips", "true_p", "a", "b"),
                         [(10, 0.7, 1.0, 1.0), (0, 0.7, 1.0, 1.0), (1, 0.25, 0.5, 0.5),
                          (37, 0.5, 3.0, 8.5), (200, 0.95, 20.0, 0.5), (200, 0.05, 0.5, 20.0)])
def test_beta_posterior_widget_draws_the_conjugate_posterior(no_render, flips, true_p, a, b):
    w = widgets.beta_posterior_widget()
    with w.paused():
        w.controls["flips"].value = flips
        w.controls["true_p"].value = true_p
        w.controls["a"].value = a
        w.controls["b"].value = b
    assert w.values == {"flips": flips, "true_p": true_p, "a": a, "b": b}
    assert w.error.value == ""
    check_beta_drawing(w.ax, flips, true_p, a, b)


def test_beta_posterior_widget_with_no_flips_shows_the_prior(no_render):
    w = widgets.beta_posterior_widget(true_p=0.4)
    w.controls["flips"].value = 0
    _x, prior = line(w.ax, "prior Beta").get_data()
    np.testing.assert_allclose(line(w.ax, "posterior Beta").get_ydata(), prior)


def test_draw_beta_posterior_with_explicit_flips(shared_ax):
    ax = shared_ax
    flips = [1, 1, 0, 1, 0, 1, 1, 1]
    plotting.draw_beta_posterior(ax, flips, a=2.0, b=5.0)
    x, y = line(ax, "posterior Beta").get_data()
    np.testing.assert_allclose(y, scipy.stats.beta(2.0 + 6, 5.0 + 2).pdf(x), rtol=1e-10)
    assert shown_title(ax) == "After 8 flips: 6 heads, 2 tails"
    assert not [ln for ln in ax.lines if ln.get_label().startswith("true p")]


# ---------------------------------------------------------------- variance estimators


def check_variance_drawing(ax, n, reps=20_000, sigma=1.0):
    var = sigma**2
    assert shown_title(ax) == f"{reps} samples of size n = {n} from N(0, {var:g})"
    assert vline_x(ax, "true") == pytest.approx(var)
    unbiased = vline_x(ax, "average of S\N{SUPERSCRIPT TWO}")
    biased = vline_x(ax, "average of 1/n")
    # same samples: the 1/n estimate is exactly (n-1)/n times S^2, so are their averages
    assert biased == pytest.approx(unbiased * (n - 1) / n, rel=1e-12)
    # (n-1) S^2 / sigma^2 ~ chi2(n-1): Var(S^2) = 2 sigma^4 / (n-1), averaged over reps
    assert abs(unbiased - var) <= Z * var * math.sqrt(2 / ((n - 1) * reps))
    return unbiased, biased


def check_variance_histograms(ax, n, reps=20_000, sigma=1.0):
    """Both histograms follow the scaled chi-square law of the estimators."""
    # each histogram is one filled step patch (density=True heights on the bin edges)
    biased_hist, unbiased_hist = [p.get_data() for p in ax.patches if isinstance(p, StepPatch)]
    for hist, scale in ((unbiased_hist, sigma**2 / (n - 1)), (biased_hist, sigma**2 / n)):
        law = scipy.stats.chi2(n - 1, scale=scale)
        edges = np.asarray(hist.edges, float)
        lo, hi = edges[0], edges[-1]
        q_in = law.cdf(hi) - law.cdf(lo)
        # how many of the reps fell inside the drawn range: Binomial(reps, q_in)
        n_lo, n_hi = binomial_interval(reps, q_in)
        assert hist.baseline == 0 and len(hist.values) == len(edges) - 1
        fractions = np.asarray(hist.values, float) * np.diff(edges)
        assert fractions.sum() == pytest.approx(1.0)
        for fraction, q in zip(fractions, np.diff(law.cdf(edges)), strict=True):
            c_lo, c_hi = binomial_interval(reps, q)
            assert c_lo / n_hi - 1e-12 <= fraction <= c_hi / n_lo + 1e-12, (fraction, q)


def test_variance_widget_redraws_for_each_sample_size(no_render):
    w = widgets.variance_widget()
    assert w.values == {"n": 5}
    check_variance_drawing(w.ax, 5)
    check_variance_histograms(w.ax, 5)
    before = w.image.value
    w.controls["n"].value = 2
    assert w.image.value != before
    check_variance_drawing(w.ax, 2)
    check_variance_histograms(w.ax, 2)
    assert w.error.value == ""


def test_draw_variance_estimators_other_sigma(shared_ax):
    ax = shared_ax
    plotting.draw_variance_estimators(ax, 6, reps=4000, sigma=3.0, seed=2)
    check_variance_drawing(ax, 6, reps=4000, sigma=3.0)
    check_variance_histograms(ax, 6, reps=4000, sigma=3.0)
    assert ax.get_xlim() == pytest.approx((0.0, 3.5 * 9.0))


# ---------------------------------------------------------------- static counterparts


def frames_state(frames):
    return {combo: json.loads(png) for combo, png in frames.frames.items()}


def check_static_html(frames, n_frames, n_sliders, alt_words):
    html = frames._repr_html_()
    assert html.count("<img ") == n_frames
    assert html.count('type="range"') == n_sliders
    assert html.count(" hidden ") == n_frames - 1  # exactly one frame shown
    alts = re.findall(r'<img data-frame="[0-9_]+" alt="([^"]*)"', html)
    assert len(alts) == n_frames and len(set(alts)) == n_frames
    for alt in alts:
        assert len(alt) > 40 and "{" not in alt
        for word in alt_words:
            assert word in alt
    assert "http://" not in html and "https://" not in html  # readable offline
    assert len(frames.frames) == n_frames
    return html


def test_distribution_static_has_every_preset_drawn_correctly(no_render):
    frames = widgets.distribution_static()
    names = list(widgets.EXPLORER_PRESETS)
    assert frames.grid == {"distribution": names, "setting": [1, 2, 3]}
    html = check_static_html(frames, 18, 2, ["distribution", "2000 samples"])
    states = frames_state(frames)
    assert len({json.dumps(s, sort_keys=True) for s in states.values()}) == 18
    for name in names:
        for setting, params in enumerate(widgets.EXPLORER_PRESETS[name], start=1):
            state = states[(name, setting)]
            assert state["title"] == title_for(name, params)
            assert f"{name} distribution, parameter setting {setting}" in frames.alts[
                (name, setting)]
            label = "pmf" if name in DISCRETE else "pdf"
            x, y = (np.array(v) for v in state["lines"][label])
            ref = SCIPY[name](**params)
            np.testing.assert_allclose(y, ref.pmf(x) if name in DISCRETE else ref.pdf(x),
                                       rtol=1e-10, atol=0)
            if setting == 2:
                # drawn on the axes reused for all frames = drawn afresh: no state leaks
                _fig, ax = plotting.new_figure()
                with plotting.book_style():
                    plotting.draw_distribution(ax, P.DISTRIBUTIONS[name](**params),
                                               n_samples=2000)
                assert state == json.loads(fingerprint_png(ax.figure))
    assert 'data-frame="0_0"' in html


def test_beta_posterior_static_frames(no_render):
    frames = widgets.beta_posterior_static(true_p=0.7)
    assert set(frames.grid) == {"flips", "prior"}
    flips = frames.grid["flips"]
    assert flips[0] == 0 and flips == sorted(flips)
    assert frames.initial == (10, frames.grid["prior"][0])
    check_static_html(frames, len(flips) * 2, 2, ["flips", "true p is 0.7", "Beta"])
    states = frames_state(frames)
    for prior_name, (a, b) in widgets.BETA_STATIC_PRIORS.items():
        # the prior's label states its parameters
        assert re.search(r"Beta\((\d+),\s*(\d+)\)", prior_name).groups() == (f"{a:g}", f"{b:g}")
        for n in flips:
            state = states[(n, prior_name)]
            k = int(widgets.coin_flips(0.7, n).sum())
            assert state["title"] == f"After {n} flips: {k} heads, {n - k} tails"
            x, y = (np.array(v) for v in state["lines"][f"posterior Beta({a + k:g}, "
                                                        f"{b + n - k:g})"])
            np.testing.assert_allclose(y, scipy.stats.beta(a + k, b + n - k).pdf(x), rtol=1e-10)
            assert str(n) in frames.alts[(n, prior_name)]
        # drawn on the axes reused for all frames = drawn afresh: no state leaks
        _fig, ax = plotting.new_figure()
        with plotting.book_style():
            plotting.draw_beta_posterior(ax, widgets.coin_flips(0.7, 20), a, b, true_p=0.7)
        assert states[(20, prior_name)] == json.loads(fingerprint_png(ax.figure))


def test_variance_static_frames(no_render):
    frames = widgets.variance_static()
    sizes = frames.grid["n"]
    assert list(frames.grid) == ["n"] and min(sizes) == 2 and frames.initial == (5,)
    check_static_html(frames, len(sizes), 1, ["20000 normal samples", "variance"])
    states = frames_state(frames)
    for n in sizes:
        assert states[(n,)]["title"] == f"20000 samples of size n = {n} from N(0, 1)"
        assert f"size {n}," in frames.alts[(n,)]
    for n in (sizes[0],):  # drawn on the reused axes = drawn afresh
        _fig, ax = plotting.new_figure()
        with plotting.book_style():
            plotting.draw_variance_estimators(ax, n)
        assert states[(n,)] == json.loads(fingerprint_png(ax.figure))
        check_variance_drawing(ax, n)


@pytest.fixture
def first_frame_only(monkeypatch):
    """Shrink each static builder's grid to its first frame, so that real PNGs can be
    rendered twice within the time budget."""
    real = widgets.static_frames

    def shrunk(draw, grid, *, initial=None, **kwargs):
        return real(draw, {name: [values[0]] for name, values in grid.items()}, **kwargs)

    monkeypatch.setattr(widgets_foundations, "static_frames", shrunk)


@pytest.mark.parametrize("builder", [widgets.distribution_static, widgets.beta_posterior_static,
                                     widgets.variance_static], ids=lambda f: f.__name__)
def test_static_html_is_deterministic_with_real_pngs(first_frame_only, builder):
    # the frames' drawings are reproducible (each equals a fresh drawing: tests above);
    # so is their rendering, and with it the whole HTML
    first = builder()
    html = first._repr_html_()
    assert html == builder()._repr_html_()
    (png,) = re.findall(r'src="data:image/png;base64,([^"]+)"', html)
    image = _png(base64.b64decode(png))
    assert image.format == "PNG" and image.size[0] > 100


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"ax": None}, TypeError, "ax must be a matplotlib Axes"),
        ({"dist": scipy.stats.norm()}, TypeError, "dist must be a notes_lib.probability"),
        ({"dist": "Normal"}, TypeError, "dist must be"),
        ({"n_samples": -1}, ValueError, "n_samples must be >= 0"),
        ({"n_samples": 2.5}, TypeError, "n_samples must be an integer"),
        ({"seed": -1}, ValueError, "seed must be >= 0"),
        ({"seed": "0"}, TypeError, "seed must be an integer"),
    ],
)
def test_draw_distribution_bad_input(shared_ax, kwargs, exc, match):
    args = {"ax": shared_ax, "dist": P.Normal(0.0, 1.0)} | kwargs
    with pytest.raises(exc, match=match):
        plotting.draw_distribution(**args)


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"ax": "axes"}, TypeError, "ax must be a matplotlib Axes"),
        ({"flips": [0, 2]}, ValueError, "flips must contain only 0"),
        ({"flips": [[0, 1], [1, 1]]}, ValueError, "flips must be 1-dimensional"),
        ({"flips": "0110"}, TypeError, "flips must be array-like"),
        ({"flips": [0, np.nan]}, ValueError, "flips must contain only finite"),
        ({"a": 0.0}, ValueError, "a must be > 0"),
        ({"b": -1.0}, ValueError, "b must be > 0"),
        ({"a": "1"}, TypeError, "a must be a real number"),
        ({"true_p": "x"}, TypeError, "true_p must be a real number"),
        ({"true_p": np.nan}, ValueError, "true_p must be finite"),
        ({"true_p": 1.5}, ValueError, r"true_p must be in \[0, 1\]"),
    ],
)
def test_draw_beta_posterior_bad_input(shared_ax, kwargs, exc, match):
    args = {"ax": shared_ax, "flips": [1, 0, 1]} | kwargs
    with pytest.raises(exc, match=match):
        plotting.draw_beta_posterior(**args)


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"ax": None}, TypeError, "ax must be a matplotlib Axes"),
        ({"n": 1}, ValueError, "n must be >= 2"),
        ({"n": 5.0}, TypeError, "n must be an integer"),
        ({"n": True}, TypeError, "n must be an integer"),
        ({"reps": 0}, ValueError, "reps must be >= 1"),
        ({"sigma": 0.0}, ValueError, "sigma must be > 0"),
        ({"sigma": -2.0}, ValueError, "sigma must be > 0"),
        ({"sigma": np.inf}, ValueError, "sigma must be finite"),
        ({"sigma": "1"}, TypeError, "sigma must be a real number"),
        ({"seed": -1}, ValueError, "seed must be >= 0"),
        ({"seed": True}, TypeError, "seed must be an integer"),
    ],
)
def test_draw_variance_estimators_bad_input(shared_ax, kwargs, exc, match):
    args = {"ax": shared_ax, "n": 5, "reps": 10} | kwargs
    with pytest.raises(exc, match=match):
        plotting.draw_variance_estimators(**args)


def test_coin_flips_bad_input():
    with pytest.raises(ValueError, match="finite"):
        widgets.coin_flips(np.nan, 10)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        widgets.coin_flips(1.5, 10)
    with pytest.raises(ValueError):
        widgets.coin_flips(0.5, -1)


def test_coin_flips_errors_name_its_own_arguments():
    with pytest.raises(ValueError, match="true_p"):
        widgets.coin_flips(1.5, 10)
    with pytest.raises(ValueError, match="n must be"):
        widgets.coin_flips(0.5, -1)
    with pytest.raises(ValueError, match="seed"):
        widgets.coin_flips(0.5, 10, seed=-1)


def test_distribution_dropdown_change_renders_exactly_once(monkeypatch):
    w = widgets.distribution_widget("Binomial")
    calls = []
    real = widgets_core.canvas_png
    monkeypatch.setattr(widgets_core, "canvas_png",
                        lambda *a, **k: calls.append(1) or real(*a, **k))
    w.controls["distribution"].value = "Normal"
    assert len(calls) == 1
    assert shown_title(w.ax).startswith("Normal(")
