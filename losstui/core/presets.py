"""Named setups that demonstrate a claim the app's text makes.

A preset is a setup line (the `KEY=VALUE` grammar of `AppState.apply_setup_line`) with a title and
the claim it shows. Every claim a recommendation makes about a loss (learns slowly, is pulled by
far points, wins on this data) has a preset here, and `tests/test_claims.py` trains each preset
with its fixed seed and asserts what the claim says. The app applies a preset from the command
palette or `losstui --preset KEY`; `losstui train --preset KEY` trains it headless.

Every preset's setup line turns the stop rule on (`patience=300`, or longer where the claim needs
more steps), so a demonstration ends by itself and says when: "converged at step 1,660:
validation loss not improved for 300 steps". The sandbox (the app's defaults) leaves it off
and trains until paused. A test holds every preset to this.
"""

from __future__ import annotations

from dataclasses import dataclass

from losstui.core.settings import SettingError, parse_setup_line


@dataclass(frozen=True)
class Preset:
    """A named setup: `setup` is a setup line that starts with `problem=`; `claim` says in one or
    two sentences what the user will see, and `compare` names the setting to change to see it
    (e.g. "loss=sigmoid_mean_squared_error"), or is empty when the setup alone shows it."""

    key: str
    title: str
    setup: str
    claim: str
    compare: str = ""

    @property
    def problem(self) -> str:
        """The problem the preset sets."""
        return parse_setup_line(self.setup)["problem"]

    @property
    def settings(self) -> dict[str, str]:
        """The setup line as KEY → VALUE text."""
        return parse_setup_line(self.setup)


PRESETS: dict[str, Preset] = {
    p.key: p
    for p in (
        Preset(
            "saturated_start",
            "Saturated start: squared error through a sigmoid learns slowly",
            "problem=binary_classification dataset=two_blobs model=linear init_scale=30 seed=0 "
            "patience=300",
            "The initial weights are 30 times the usual size, so most points start on the flat "
            "tails of the sigmoid, here confidently wrong (about 20% accuracy; at some seeds the "
            "start is right by luck). Binary cross-entropy's gradient p − y stays large there "
            "and recovers within a few hundred steps; squared error's (p − y)·p·(1 − p) nearly "
            "vanishes: from a wrong start it is still below 70% at step 300 where cross-entropy "
            "is near 90% or above (here below 50% at step 1,000, converging several times "
            "later). Both end at about 90-95%.",
            compare="loss=sigmoid_mean_squared_error",
        ),
        Preset(
            "far_cluster",
            "Far cluster: squared error on 0/1 labels is pulled by points it gets right",
            "problem=binary_classification dataset=far_cluster model=linear lr=0.01 seed=3 "
            "patience=300",
            "A sixth of class 1 sits far out on its own side. Cross-entropy barely notices "
            "points it already classifies with confidence; squared error on the 0/1 labels "
            "charges their outputs for any distance from 1, so it tilts the boundary towards "
            "them to hold those outputs near 1 and misclassifies points near it: about 75-90% "
            "accuracy where cross-entropy keeps about 95%. Its outputs still leave [0, 1], so "
            "they are not probabilities: the Distributions pane shows each output ŷ and counts "
            "those outside, about 15 to 25 of the 150, nearly all of them far points above 1 (up "
            "to about 1.2 to 1.6).",
            compare="loss=mean_squared_error",
        ),
        Preset(
            "lost_term",
            "Lost term: binary cross-entropy without its (1 − y) term",
            "problem=binary_classification dataset=two_blobs model=linear seed=0 patience=300",
            "Some tutorials write binary cross-entropy as −y·log p, losing the (1 − y)·log(1 − p) "
            "term. Then nothing is charged for calling a class-0 point positive: the loss falls "
            "towards 0 while the model calls almost every point class 1 and its accuracy sinks "
            "to the share of class 1 (about half: 46-56%, depending on the seed), where the full "
            "loss keeps about 90-95%. Once the loss is flat near 0 the stop rule ends the run, "
            "within about 30,000 steps.",
            compare="loss=positive_only_cross_entropy",
        ),
        Preset(
            "double_softmax",
            "Double softmax: a softmax layer in front of a loss that applies its own",
            "problem=multiclass_classification dataset=article_blobs model=mlp hidden=50 "
            "hidden_activation=relu lr=0.01 momentum=0.9 batch_size=32 seed=0 patience=300",
            "A softmax layer followed by a loss that applies log_softmax itself squashes the "
            "outputs twice. The second softmax only sees numbers in (0, 1), so no predicted "
            "probability can pass e/(e + 2) ≈ 58% with three classes, the loss cannot fall "
            "below 0.55, and the shrunken gradient makes the model learn slowly: at step 200 its "
            "accuracy trails cross-entropy's (about 70-80%) by 5 to 30 points, and at some seeds "
            "it stalls for good near 53%.",
            compare="loss=double_softmax_cross_entropy",
        ),
        Preset(
            "softmax_labels",
            "Softmax over labels: several labels cannot all be on",
            "problem=multilabel_classification dataset=regions model=mlp seed=0 patience=300",
            "A softmax across the labels makes them compete for one unit of probability: when "
            "two labels are on, each can get at most ½, so neither passes the 0.5 threshold. "
            "On the regions data it never predicts two labels at once (about two in five points "
            "have two or more) and its subset accuracy stays below 50% (about 40-46%); a sigmoid "
            "per label with binary cross-entropy reaches about 75-85%.",
            compare="loss=multilabel_softmax_cross_entropy",
        ),
        Preset(
            "log_target",
            "Log target: squared error on log(1 + y) has no dead outputs",
            "problem=wide_range_regression dataset=wide_range model=linear seed=0 patience=300",
            "With a linear output, mean squared logarithmic error must fit exponential growth "
            "with a straight line, and its clip at 0 silences over a quarter of the training "
            "points (output below 0, gradient 0): the fit is flat at 0 on the left and the "
            "validation loss stays about 0.35-0.45. Squared error on log(1 + y) reads the output "
            "as z = log(1 + ŷ): the same linear model now draws an exponential curve, no point "
            "is clipped, and the validation loss, the same squared log error, falls to about "
            "0.13-0.17.",
            compare="loss=log_target_squared_error",
        ),
        Preset(
            "large_counts",
            "Large counts: squared error does about as well as the Poisson loss",
            "problem=count_regression dataset=large_counts model=linear lr=0.003 seed=0 "
            "patience=300",
            "Counts from about 25 to 110 are roughly Gaussian, with a spread that changes little "
            "over the range, so squared error on a linear output fits them about as well as the "
            "Poisson loss (R² about 0.75-0.85 each, within 0.06 of each other) and predicts no "
            "negative count. The "
            "learning rate is 0.003: the Poisson loss's curvature grows with the counts, and at "
            "the default 0.01 its curves jump about.",
            compare="loss=mean_squared_error",
        ),
        Preset(
            "overdispersion",
            "Overdispersion: counts that vary more than a Poisson's",
            "problem=count_regression dataset=overdispersed_counts model=linear seed=0 "
            "patience=300",
            "The counts have the default counts' mean λ = exp(0.5 + 0.8·x) but variance "
            "λ + λ²/2. The Poisson loss still finds the mean, but it assumes variance = mean: "
            "its residuals divided by √ŷ should spread like N(0, 1), and the Distributions pane "
            "shows them wider, with an RMS of about 1.4-1.6 (about 0.9-1.1 on the default "
            "counts). A "
            "negative binomial likelihood would model the extra spread; this app has none.",
            compare="dataset=counts",
        ),
        Preset(
            "mixture_poor_start",
            "Poor start: two mixture components that start together stay together",
            "problem=density_estimation dataset=mixture_samples loss=gaussian_mixture_nll "
            "seed=8 momentum=0 patience=1000",
            "Seed 8 starts both components' means near −0.46. Components that start at the same "
            "place get nearly the same gradients and move together: without momentum they sit "
            "as one wide bell over both bumps (validation NLL about 1.8) on a long plateau, a "
            "saddle of the likelihood that the stop rule takes for convergence. With momentum "
            "0.9 the small difference between them usually grows (here it does), they split, "
            "and each takes a bump (NLL about 1.55-1.6).",
            compare="momentum=0.9",
        ),
        Preset(
            "mixture_collapse",
            "Mixture collapse: a component shrinks onto a few samples",
            "problem=density_estimation dataset=mixture_samples loss=gaussian_mixture_nll "
            "n_samples=6 seed=2 patience=300",
            "With four training samples, one component of the mixture narrows onto the samples "
            "it covers (σ below 0.25 at every seed) and the validation NLL ends far above the "
            "training NLL, because the held-out samples fall where the narrowed density is "
            "nearly 0. At this seed it narrows furthest (σ ≈ 0.06): the training NLL goes below "
            "0, because a narrow density exceeds 1, while the validation NLL explodes past 20.",
        ),
        Preset(
            "exp_overflow",
            "Exp overflow: a large initial output overflows the Poisson rate",
            "problem=count_regression model=mlp init_scale=30 patience=300",
            "The output's bias starts at log(mean y), but with initial weights 30 times the "
            "usual size the network's first outputs z land far from it: where z is large the "
            "rate λ = exp(z) is astronomically large, and the first step blows up, so the run "
            "diverges within a few steps and the message names the initial scale. With "
            "init_scale=1 the outputs start near log(mean y) and it trains.",
        ),
        Preset(
            "article_circles",
            "The article's circles: binary cross-entropy lands near its 85%",
            "problem=binary_classification dataset=article_circles model=mlp hidden=50 "
            "hidden_activation=relu lr=0.01 momentum=0.9 batch_size=32 seed=0 patience=300",
            "The binary cross-entropy experiment of the article 'How to Choose Loss Functions "
            "When Training Deep Learning Neural Networks': make_circles, 1,000 points (noise 0.1, "
            "radius ratio 0.8) split in half, an MLP of 50 ReLU units, SGD with learning rate "
            "0.01 and momentum 0.9. The article reports 85% test accuracy after 200 epochs "
            "(3,200 steps); here validation accuracy reaches about 80% by epoch 50 and levels "
            "off at about 81-85%. The circles overlap, so no model does much better.",
        ),
        Preset(
            "article_blobs",
            "The article's three blobs: cross-entropy comes within 3 points of the best possible",
            "problem=multiclass_classification dataset=article_blobs model=mlp hidden=50 "
            "hidden_activation=relu lr=0.01 momentum=0.9 batch_size=32 seed=0 patience=300",
            "The categorical cross-entropy experiment of the article 'How to Choose Loss "
            "Functions When Training Deep Learning Neural Networks': make_blobs, 3 centres in a "
            "box of side 20 with standard deviation 2, 1,000 points split in half, the same MLP "
            "and SGD. Two of the blobs overlap, so no model classifies every point: the best "
            "possible rule, which knows the true blobs, gets 79% of these 500 validation points "
            "right (82% on average over draws, the article's figure). Validation accuracy "
            "settles within about 3 points of that rule's, and the stop rule ends the run there, "
            "before epoch 100.",
        ),
    )
}


#: Races: presets whose setup line races 2 to 4 runs (`race=KEY:V1,V2`), each with the claim the
#: race shows, held by `tests/test_race_claims.py` at five seeds. `losstui race --preset KEY`
#: runs one headless; the app lists them beside the others and shows them on its Race pane.
RACE_PRESETS: dict[str, Preset] = {
    p.key: p
    for p in (
        Preset(
            "race_outliers",
            "Outliers: squared error against absolute error and Huber",
            "problem=robust_regression dataset=line_outliers model=linear seed=0 patience=300 "
            "race=loss:mean_squared_error,mean_absolute_error,huber",
            "A tenth of the training targets are gross outliers; the validation targets are "
            "clean, so R² "
            "scores the fit to the line the outliers hide. Squared error's gradient grows with "
            "the residual, so the outliers pull its line away: its R² ends at about 0.3-0.65. "
            "Absolute error's gradient is ±1 whatever the residual, and Huber's is capped: both "
            "reach about 0.85-0.91, at least 0.2 above squared error.",
        ),
        Preset(
            "race_binary_losses",
            "The article's circles: four losses for two classes",
            "problem=binary_classification dataset=article_circles model=mlp hidden=50 "
            "hidden_activation=relu lr=0.01 momentum=0.9 batch_size=32 seed=0 patience=300 "
            "race=loss:binary_cross_entropy,sigmoid_mean_squared_error,hinge,squared_hinge",
            "Binary cross-entropy, squared error through a sigmoid, hinge and squared hinge on "
            "the article's overlapping circles: all four end at about 80-86% accuracy, within a "
            "few points of each other, because the overlap, not the loss, limits what any model "
            "gets right. The hinge losses stop first: once a point is past the margin it adds "
            "nothing, so their validation loss stops improving hundreds of steps before "
            "cross-entropy's.",
        ),
        Preset(
            "race_categorical_forms",
            "Three names, one loss: categorical, sparse categorical and KL",
            "problem=multiclass_classification dataset=article_blobs model=mlp hidden=50 "
            "hidden_activation=relu lr=0.01 momentum=0.9 batch_size=32 seed=0 patience=300 "
            "race=loss:categorical_cross_entropy,sparse_categorical_cross_entropy,kl_divergence",
            "Categorical cross-entropy on one-hot labels, sparse categorical cross-entropy on "
            "class indices and the KL divergence from one-hot targets are one loss written three "
            "ways: the same softmax, the same gradient p − y, so the same steps from the same "
            "start. Their curves are identical, to the last digit shown.",
        ),
        Preset(
            "race_learning_rates",
            "Learning rates 0.001 to 1: one diverges",
            "problem=regression dataset=line model=linear seed=0 patience=300 "
            "race=lr:0.001,0.01,0.1,1",
            "The same line fitted with four learning rates. From 0.001 to 0.1 every run fits "
            "it (R² about 0.85-0.91); at 1 the steps overshoot the minimum further each time and "
            "the run diverges within a few hundred steps, while the others train on.",
        ),
        Preset(
            "race_saturated_start",
            "Saturated start, raced: cross-entropy against squared error through a sigmoid",
            "problem=binary_classification dataset=two_blobs model=linear init_scale=30 seed=0 "
            "patience=300 race=loss:binary_cross_entropy,sigmoid_mean_squared_error",
            "The saturated start, both losses from the same confident start: at step 300 "
            "cross-entropy is ahead at every seed tried (by 5 to 65 points of accuracy), "
            "because its gradient p − y stays large where the sigmoid is flat and squared error's "
            "(p − y)·p·(1 − p) vanishes.",
        ),
    )
}


def get_preset(key: str) -> Preset:
    """The preset called `key`; SettingError listing the presets otherwise."""
    try:
        return PRESETS[key]
    except KeyError:
        raise SettingError(f"unknown preset {key!r}; allowed: {', '.join(PRESETS)}") from None


def app_preset(key: str) -> Preset:
    """The preset or race preset called `key`, as the app offers both; SettingError listing
    them otherwise."""
    found = PRESETS.get(key) or RACE_PRESETS.get(key)
    if found is None:
        allowed = ", ".join((*PRESETS, *RACE_PRESETS))
        raise SettingError(f"unknown preset {key!r}; allowed: {allowed}")
    return found


def presets_for(problem: str) -> list[Preset]:
    """The presets that set `problem`, in catalogue order."""
    return [p for p in PRESETS.values() if p.problem == problem]
