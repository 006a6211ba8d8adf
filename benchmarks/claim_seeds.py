"""Measure the numbers each preset's and recommendation's claim rests on, at five seeds.

    python benchmarks/claim_seeds.py [NAME ...]

Prints one line per seed: the preset's own seed first, then four more. Claims in the app's
text must hold at all five with a margin (see tests/test_claims.py).
"""

from __future__ import annotations

import sys

import numpy as np

from losstui.core.diagnostics import classification_data, residual_data
from losstui.core.presets import PRESETS
from losstui.core.state import AppState


def seeds_for(own: int) -> list[int]:
    return [own, *[s for s in range(6) if s != own][:4]]


def run(preset: str, seed: int, steps: int, **changes: str) -> AppState:
    state = AppState()
    state.apply_preset(preset)
    state.apply({"seed": str(seed), **changes})
    state.step(steps)
    return state


def problem(key: str, seed: int, steps: int, **changes: str) -> AppState:
    state = AppState(key)
    state.apply({"seed": str(seed), **changes})
    state.step(steps)
    return state


def acc(s: AppState) -> float:
    return round(s.trainer.evaluate()["accuracy"], 3)


def ev(s: AppState, k: str) -> float:
    return round(s.trainer.evaluate()[k], 3)


def until_stop(s: AppState, limit: int = 60_000) -> int:
    s.step(limit - s.trainer.step_count)
    return s.trainer.step_count if s.trainer.converged else -1


def saturated_start(seed):
    ce, se = (
        run("saturated_start", seed, 0),
        run("saturated_start", seed, 0, loss="sigmoid_mean_squared_error"),
    )
    out = {"acc0": acc(ce)}
    for k in (300, 1000):
        ce.step(k - ce.trainer.step_count)
        se.step(k - se.trainer.step_count)
        out[f"ce{k}"], out[f"se{k}"] = acc(ce), acc(se)
    out["ce_stop"], out["se_stop"] = until_stop(ce), until_stop(se)
    out["ce_end"], out["se_end"] = acc(ce), acc(se)
    return out


def far_cluster(seed):
    from losstui.core.datasets import FAR_CENTRE

    ce, se = run("far_cluster", seed, 500), run("far_cluster", seed, 500, loss="mean_squared_error")
    t = se.trainer
    x = t.dataset.x_val
    o = t.predict(x)[:, 0]
    far = np.linalg.norm(x - np.asarray(FAR_CENTRE), axis=1) < 3.0
    outside = classification_data(t).outside_unit()
    return {
        "ce": acc(ce),
        "se": acc(se),
        "se_conv": t.converged_at_step,
        "nfar": int(far.sum()),
        "far_min": round(float(o[far].min()), 2),
        "far_max": round(float(o[far].max()), 2),
        "outside": int(outside.sum()),
        "outside_far": int((outside & far).sum()),
        "near>1": int((o[~far] > 1).sum()),
        "min": round(float(o.min()), 3),
        "max": round(float(o.max()), 3),
    }


def lost_term(seed):
    full, lost = (
        run("lost_term", seed, 300),
        run("lost_term", seed, 300, loss="positive_only_cross_entropy"),
    )
    d = lost.trainer.dataset
    h = lost.trainer.history
    out = {
        "full": acc(full),
        "lost": acc(lost),
        "share1": round(float(d.y_val.mean()), 3),
        "called1": round(float(lost.trainer.classify(d.x_val).mean()), 3),
        "val0": round(h[0].val_loss, 3),
        "val300": round(h[-1].val_loss, 4),
    }
    full.step(5000)
    out["full_stop"], out["full_end"] = full.trainer.converged_at_step, acc(full)
    lost.step(20000)
    out["lost_stop"] = lost.trainer.converged_at_step
    out["lost_end"] = acc(lost)
    return out


def double_softmax(seed):
    s, d = (
        run("double_softmax", seed, 400),
        run("double_softmax", seed, 400, loss="double_softmax_cross_entropy"),
    )
    x = d.trainer.dataset.x_val
    out = {
        "single": acc(s),
        "double": acc(d),
        "dmax": round(float(d.trainer.predict(x).max()), 3),
        "smax": round(float(s.trainer.predict(x).max()), 3),
    }
    d.step(3000)
    s.step(3000)
    out.update(
        d_conv=d.trainer.converged_at_step,
        d_train=ev(d, "train_loss"),
        d_end=acc(d),
        s_conv=s.trainer.converged_at_step,
        s_end=acc(s),
    )
    return out


def softmax_labels(seed):
    sig, sm = (
        run("softmax_labels", seed, 3000),
        run("softmax_labels", seed, 3000, loss="multilabel_softmax_cross_entropy"),
    )
    d = sm.trainer.dataset
    several = d.y_val.sum(axis=1) >= 2
    return {
        "several": round(float(several.mean()), 3),
        "sm_max_on": int(sm.trainer.classify(d.x_val).sum(axis=1).max()),
        "sig": ev(sig, "subset_accuracy"),
        "sm": ev(sm, "subset_accuracy"),
        "sig_conv": sig.trainer.converged_at_step,
        "sm_conv": sm.trainer.converged_at_step,
        "sig2": round(float((sig.trainer.classify(d.x_val)[several].sum(axis=1) >= 2).mean()), 3),
    }


def log_target(seed):
    c, lt = (
        run("log_target", seed, 1000),
        run("log_target", seed, 1000, loss="log_target_squared_error"),
    )
    d = c.trainer.dataset
    dead = c.trainer.logits(d.x_train) <= 0
    return {
        "dead": round(float(dead.mean()), 3),
        "msle_val": ev(c, "val_loss"),
        "lt_val": ev(lt, "val_loss"),
        "msle_r2": ev(c, "r2"),
        "lt_r2": ev(lt, "r2"),
        "c_conv": c.trainer.converged_at_step,
        "l_conv": lt.trainer.converged_at_step,
    }


def large_counts(seed):
    p, s = (
        run("large_counts", seed, 1000),
        run("large_counts", seed, 1000, loss="mean_squared_error"),
    )
    d = s.trainer.dataset
    return {
        "p": ev(p, "r2"),
        "s": ev(s, "r2"),
        "ymin": float(d.y_train.min()),
        "ymax": float(d.y_train.max()),
        "smin": round(float(s.trainer.predict(d.x_val).min()), 1),
        "div": (p.trainer.diverged, s.trainer.diverged),
    }


def overdispersion(seed):
    def rms(**c):
        st = run("overdispersion", seed, 1500, **c)
        r = residual_data(st.trainer).residuals
        return round(float(np.sqrt(np.mean(r**2))), 3), st

    w, st = rms()
    u, _ = rms(dataset="counts")
    t = st.trainer
    d = t.dataset
    truth = d.true_function(d.x_val)
    return {
        "wide": w,
        "usual": u,
        "mean_err": round(float(np.mean(np.abs(t.predict(d.x_val) - truth)) / np.mean(truth)), 3),
    }


def mixture_poor_start(seed):
    out = {}
    for tag, c in (("m0", {}), ("m9", {"momentum": "0.9"})):
        st = run("mixture_poor_start", seed, 3000, **c)
        t = st.trainer
        th = t.loss.predict(t.model.forward(np.zeros((1, 0))))[0]
        out[tag] = (
            round(float(abs(th[1] - th[2])), 2),
            round(float(min(th[3], th[4])), 2),
            ev(st, "val_loss"),
            t.converged_at_step,
        )
    return out


def mixture_collapse(seed):
    st = run("mixture_collapse", seed, 3000)
    t = st.trainer
    th = t.loss.predict(t.model.forward(np.zeros((1, 0))))[0]
    return {
        "train": ev(st, "train_loss"),
        "val": ev(st, "val_loss"),
        "conv": t.converged_at_step,
        "div": t.diverged_at_step,
        "sigmas": [round(float(v), 3) for v in th[3:5]],
    }


def exp_overflow(seed):
    st = run("exp_overflow", seed, 50)
    return {"div_at": st.trainer.diverged_at_step, "msg": st.divergence_message}


def article_circles(seed):
    st = run("article_circles", seed, 800)
    a50 = acc(st)
    st.step(3200 - 800)
    a200 = acc(st)
    st.step(20000)
    return {"e50": a50, "e200": a200, "stop": st.trainer.converged_at_step, "end": acc(st)}


def article_blobs(seed):
    from losstui.core.datasets import ARTICLE_BLOB_CENTRES

    st = run("article_blobs", seed, 1600)
    d = st.trainer.dataset
    dist = ((d.x_val[:, None, :] - ARTICLE_BLOB_CENTRES[None]) ** 2).sum(axis=-1)
    best = float((dist.argmin(axis=1) == d.y_val).mean())
    a = acc(st)
    st.step(10000)
    return {"e100": a, "best": round(best, 3), "stop": st.trainer.converged_at_step, "end": acc(st)}


# Recommendations' claims, on each problem's defaults.
def rec_count(seed):
    p, s = (
        problem("count_regression", seed, 1000),
        problem("count_regression", seed, 1000, loss="mean_squared_error"),
    )
    t = s.trainer
    d = t.dataset
    grid = np.linspace(d.x_train.min(), d.x_train.max(), 1001)[:, None]
    line = t.predict(grid)[:, 0]
    cross = float(grid[np.argmax(line >= 0.0), 0]) if line[0] < 0 else None
    return {
        "p": ev(p, "r2"),
        "s": ev(s, "r2"),
        "neg_val": int((t.predict(d.x_val) < 0).sum()),
        "cross": cross,
        "line_min": round(float(line.min()), 2),
    }


def rec_robust(seed):
    return {
        loss: ev(problem("robust_regression", seed, 1500, loss=loss), "r2")
        for loss in ("mean_absolute_error", "mean_squared_error", "huber")
    }


def rec_wobble(seed):
    out = {}
    for loss in ("mean_absolute_error", "huber"):
        st = problem("robust_regression", seed, 3000, loss=loss)
        losses = np.array([r.train_loss for r in st.trainer.history][-30:])
        out[loss] = round(float(losses.std() / losses.mean()), 4)
    out["ratio"] = round(out["mean_absolute_error"] / out["huber"], 1)
    return out


def rec_multiclass(seed):
    out = {}
    for loss in ("categorical_cross_entropy", "binary_cross_entropy", "mean_squared_error"):
        st = problem("multiclass_classification", seed, 1000, loss=loss)
        out[loss[:6]] = acc(st)
        if loss == "binary_cross_entropy":
            sums = st.trainer.predict(st.trainer.dataset.x_val).sum(axis=1)
            out["sums"] = f"{sums.min():.1f} to {sums.max():.1f}"
        if loss == "mean_squared_error":
            out["mse_out"] = round(float(classification_data(st.trainer).outside_unit().mean()), 2)
    a = run("article_blobs", seed, 50, loss="mean_squared_error")
    out["art_mse_div"] = a.trainer.diverged_at_step
    return out


def rec_multilabel(seed):
    a = problem("multilabel_classification", seed, 1000)
    s = problem("multilabel_classification", seed, 500, loss="mean_squared_error")
    out = {"sig": ev(a, "subset_accuracy")}
    counts = []
    while s.trainer.step_count <= 10_000:
        if s.trainer.step_count == 1000:
            out["sq"] = ev(s, "subset_accuracy")
        counts.append(int(classification_data(s.trainer).outside_unit().sum()))
        s.step(50)
    out.update(median=float(np.median(counts)), lo=min(counts), hi=max(counts))
    stopped = problem(
        "multilabel_classification", seed, 10_000, loss="mean_squared_error", patience="300"
    )
    out["stopped_outside"] = round(
        float(classification_data(stopped.trainer).outside_unit().mean()), 3
    )
    return out


def rec_soft(seed):
    s = problem("soft_label_classification", seed, 1000, loss="mean_squared_error")
    out_ = s.trainer.predict(s.trainer.dataset.x_val)
    b = problem("soft_label_classification", seed, 1000, loss="binary_cross_entropy")
    sums = b.trainer.predict(b.trainer.dataset.x_val).sum(axis=1)
    return {
        "rowsum_err": round(float(np.abs(out_.sum(axis=1) - 1).max()), 3),
        "neg_rows": round(float((out_ < 0).any(axis=1).mean()), 3),
        "sums": f"{sums.min():.1f} to {sums.max():.1f}",
    }


def rec_wide(seed):
    a = problem("wide_range_regression", seed, 2000, loss="mean_squared_error")
    b = problem("wide_range_regression", seed, 2000, loss="mean_squared_error", lr="0.0003")
    return {"r2_default": ev(a, "r2"), "r2_small": ev(b, "r2")}


def rec_lr5(seed):
    st = problem("regression", seed, 100, lr="5")
    p = problem("count_regression", seed, 50, lr="1")
    return {"div": st.trainer.diverged_at_step, "poisson_lr1": p.trainer.diverged_at_step}


def rec_soft_kl(seed):
    from losstui.core.info import kl_divergence

    st = AppState("soft_label_classification")
    st.apply({"seed": str(seed)})
    d = st.trainer.dataset
    truth = d.true_function(d.x_val)
    best = float(np.mean([kl_divergence(p, q) for p, q in zip(d.y_val, truth, strict=True)]))
    st.step(3000)
    return {"best": round(best, 3), "val": ev(st, "val_loss")}


ALL = {k: v for k, v in globals().items() if callable(v) and (k in PRESETS or k.startswith("rec_"))}

if __name__ == "__main__":
    names = sys.argv[1:] or list(ALL)
    for name in names:
        own = int(PRESETS[name].settings.get("seed", "0")) if name in PRESETS else 0
        for seed in seeds_for(own):
            print(name, seed, ALL[name](seed), flush=True)
