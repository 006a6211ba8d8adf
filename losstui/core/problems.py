"""The problem catalogue, the guided question path and recommend(): which loss, and why."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

__all__ = [
    "FIRST_QUESTION",
    "PROBLEMS",
    "QUESTIONS",
    "RECOMMENDATIONS",
    "Alternative",
    "Answer",
    "Problem",
    "Question",
    "Recommendation",
    "get_problem",
    "is_recommended",
    "question_paths",
    "recommend",
    "walk",
]


@dataclass(frozen=True)
class Problem:
    """One kind of prediction problem; `kind` is the Dataset.kind its datasets have."""

    key: str
    title: str
    summary: str
    target: str
    kind: str
    default_dataset: str
    datasets: tuple[str, ...]


@dataclass(frozen=True)
class Alternative:
    """Another loss for the same problem and when to prefer it.

    `discouraged` marks a pairing kept as a lesson: it runs, but it answers a worse question.
    """

    loss: str
    when: str
    discouraged: bool = False


@dataclass(frozen=True)
class Recommendation:
    """The maximum-likelihood choice of loss and output activation for one problem.

    `loss` is a LOSSES key (for density estimation, the negative log-likelihood of a Gaussian).
    `equivalent` lists LOSSES keys that are the same choice in another
    form (the sparse form of cross-entropy, KL instead of cross-entropy for soft labels).
    """

    problem: str
    loss: str
    loss_title: str
    activation: str
    activation_reason: str
    distribution: str
    rationale: str
    formula: str
    alternatives: tuple[Alternative, ...]
    pytorch: str
    keras: str
    sklearn: str
    pitfalls: tuple[str, ...] = ()
    equivalent: tuple[str, ...] = ()


# Dataset keys are those of losstui.core.datasets.DATASETS; tests check that they exist.
PROBLEMS: dict[str, Problem] = {
    p.key: p
    for p in (
        Problem(
            key="regression",
            title="Regression",
            summary="Predict a real number, e.g. a price or a temperature.",
            target="a real number",
            kind="regression",
            default_dataset="line",
            datasets=("line", "curve", "linear20"),
        ),
        Problem(
            key="robust_regression",
            title="Robust regression",
            summary="Predict a real number when a few targets are gross outliers.",
            target="a real number, with a few gross outliers among the targets",
            kind="regression",
            default_dataset="line_outliers",
            datasets=("line_outliers", "curve_outliers", "line", "curve"),
        ),
        Problem(
            key="wide_range_regression",
            title="Wide-range regression",
            summary="Predict a positive number that spans orders of magnitude, e.g. a house price.",
            target="a positive real number spanning orders of magnitude",
            kind="regression",
            default_dataset="wide_range",
            datasets=("wide_range",),
        ),
        Problem(
            key="count_regression",
            title="Count regression",
            summary="Predict a count (0, 1, 2, …), e.g. visits per day.",
            target="a non-negative whole number",
            kind="count",
            default_dataset="counts",
            datasets=("counts",),
        ),
        Problem(
            key="binary_classification",
            title="Binary classification",
            summary="Predict one of two classes, e.g. spam or not spam.",
            target="one of two classes, coded 0 and 1",
            kind="binary",
            default_dataset="two_blobs",
            datasets=("two_blobs", "moons", "circles", "xor", "spiral"),
        ),
        Problem(
            key="multiclass_classification",
            title="Multi-class classification",
            summary="Predict one of K classes, e.g. which digit is in an image.",
            target="one of K classes, as an integer label 0 … K−1",
            kind="multiclass",
            default_dataset="blobs",
            datasets=("blobs", "spiral3"),
        ),
        Problem(
            key="multilabel_classification",
            title="Multi-label classification",
            summary="Predict several yes/no labels at once, e.g. the tags of a photo.",
            target="a 0/1 vector: several labels can be on at once",
            kind="multilabel",
            default_dataset="regions",
            datasets=("regions",),
        ),
        Problem(
            key="soft_label_classification",
            title="Soft-label classification",
            summary="Predict a probability distribution over K classes, e.g. annotators' votes.",
            target="a probability distribution over K classes (rows summing to 1)",
            kind="soft_label",
            default_dataset="soft_softmax",
            datasets=("soft_softmax", "annotator_votes"),
        ),
        Problem(
            key="density_estimation",
            title="Density estimation",
            summary="No inputs, only samples: fit the distribution they came from.",
            target="no target: samples x₁ … xₙ of one variable",
            kind="density",
            default_dataset="gaussian_samples",
            datasets=("gaussian_samples", "mixture_samples"),
        ),
    )
}


RECOMMENDATIONS: dict[str, Recommendation] = {
    r.problem: r
    for r in (
        Recommendation(
            problem="regression",
            loss="mean_squared_error",
            loss_title="mean squared error",
            activation="linear",
            activation_reason=(
                "The mean of a Gaussian can be any real number, so the prediction is the raw "
                "output z of the last layer itself."
            ),
            distribution="Gaussian",
            rationale=(
                "Assume each target is the model's prediction plus Gaussian noise of a fixed "
                "width σ: y ~ N(ŷ, σ²). The likelihood of one target is "
                "(1/√(2πσ²))·exp(−(y − ŷ)²/(2σ²)). Taking −log gives (y − ŷ)²/(2σ²) + ½·log(2πσ²); "
                "σ is fixed, so the second term and the factor 1/(2σ²) do not change where the "
                "minimum is. What is left to minimise, averaged over the data, is the mean "
                "squared error. The output activation is linear because the Gaussian's mean may "
                "be any real number: nothing needs to be squeezed into a range. The best "
                "prediction under this loss is the conditional mean of y."
            ),
            formula="L = (1/n) Σᵢ (yᵢ − ŷᵢ)²,   ŷ = z",
            alternatives=(
                Alternative(
                    "huber",
                    "A few targets are far off: Huber is squared for small errors and linear for "
                    "large ones (δ = 1, in the target's units), so outliers pull less.",
                ),
                Alternative(
                    "mean_absolute_error",
                    "The noise has heavy tails or gross outliers: MAE is the Laplace likelihood "
                    "and predicts the conditional median.",
                ),
            ),
            pytorch=(
                "nn.MSELoss() on the raw output of the last nn.Linear (no activation). "
                "nn.GaussianNLLLoss() if the network also predicts the variance."
            ),
            keras=(
                "keras.losses.MeanSquaredError() with a Dense(1) output layer (activation=None)."
            ),
            sklearn=(
                "LinearRegression or Ridge; MLPRegressor (squared error); "
                "metric sklearn.metrics.mean_squared_error."
            ),
            pitfalls=(
                "Squaring makes the largest errors dominate: one gross outlier can drag the whole "
                "fit towards itself.",
                "The loss is in squared target units; standardise the targets so that the "
                "learning rate does not depend on their scale.",
                "A learning rate that is too large makes SGD overshoot: the loss grows instead "
                "of falling, and the run diverges.",
                "A positive target spanning orders of magnitude needs relative errors: see "
                "wide-range regression (mean squared logarithmic error).",
            ),
        ),
        Recommendation(
            problem="robust_regression",
            loss="mean_absolute_error",
            loss_title="mean absolute error",
            activation="linear",
            activation_reason=(
                "The centre of a Laplace distribution can be any real number, so the prediction "
                "is the raw output z of the last layer itself."
            ),
            distribution="Laplace",
            rationale=(
                "Assume the noise has heavier tails than a Gaussian: y ~ Laplace(ŷ, b), whose "
                "density is (1/(2b))·exp(−|y − ŷ|/b). Taking −log gives |y − ŷ|/b + log(2b); with "
                "the scale b fixed, only |y − ŷ| depends on the model, so maximum likelihood means "
                "minimising the mean absolute error. An error twice as large costs twice as much, "
                "not four times, so a few gross outliers pull the fit far less than under squared "
                "error. The best prediction is the conditional median of y, which outliers barely "
                "move. The output is linear because the Laplace centre may be any real number."
            ),
            formula="L = (1/n) Σᵢ |yᵢ − ŷᵢ|,   ŷ = z",
            alternatives=(
                Alternative(
                    "huber",
                    "You want robustness and a smooth gradient near the optimum: Huber is "
                    "squared for |error| ≤ δ and linear beyond (the likelihood of a Gaussian "
                    "centre with Laplace tails).",
                ),
                Alternative(
                    "mean_squared_error",
                    "The noise is Gaussian after all; on data with outliers it is the contrast "
                    "that shows the fit being dragged towards them.",
                ),
            ),
            pytorch=(
                "nn.L1Loss(); Huber: nn.HuberLoss(delta=1.0) (equal to nn.SmoothL1Loss(beta=1.0))."
            ),
            keras="keras.losses.MeanAbsoluteError(); Huber: keras.losses.Huber(delta=1.0).",
            sklearn=(
                "QuantileRegressor(quantile=0.5, alpha=0.0) (the median, absolute loss); "
                "HuberRegressor (Huber loss with a jointly fitted scale); "
                'SGDRegressor(loss="huber"); metric sklearn.metrics.mean_absolute_error.'
            ),
            pitfalls=(
                "The gradient of |error| is ±1 however small the error, so SGD with a fixed "
                "learning rate keeps jittering around the median: decay the learning rate or use "
                "Huber.",
                "Huber's δ is in the target's units: standardise the targets or tune δ.",
            ),
        ),
        Recommendation(
            problem="wide_range_regression",
            loss="mean_squared_logarithmic_error",
            loss_title="mean squared logarithmic error",
            activation="linear",
            activation_reason=(
                "The output is the prediction ŷ itself; the loss takes log(1 + ŷ), clipping a "
                "negative ŷ at 0."
            ),
            distribution="log-normal on 1 + y (log(1 + y) is Gaussian)",
            rationale=(
                "When a positive target spans orders of magnitude, its errors are relative: being "
                "off by 10 matters for a target of 20, not for one of 20,000. Assume the "
                "logarithm is Gaussian: log(1 + y) ~ N(log(1 + ŷ), σ²), so 1 + y is log-normal. "
                "The likelihood of log(1 + y) is "
                "(1/√(2πσ²))·exp(−(log(1 + y) − log(1 + ŷ))²/(2σ²)); "
                "taking −log and dropping the terms that do not depend on the model leaves "
                "(log(1 + y) − log(1 + ŷ))², and its mean is the mean squared logarithmic error. "
                "Predicting 110 for 100 then costs about as much as 1,100 for 1,000. The output "
                "activation is linear: the loss itself applies log(1 + ·), with a negative "
                "prediction clipped to 0."
            ),
            formula="L = (1/n) Σᵢ (log(1 + yᵢ) − log(1 + ŷᵢ))²,   ŷ = max(z, 0)",
            alternatives=(
                Alternative(
                    "mean_squared_error",
                    "Absolute errors are what matter; or, usually better, train MSE on log(1 + y) "
                    "as the target and undo it with exp(ŷ) − 1: the same loss, without clipping.",
                ),
                Alternative(
                    "poisson",
                    "The target is a count or a rate whose variance grows with its mean; the exp "
                    "output keeps every prediction positive.",
                ),
                Alternative(
                    "mean_absolute_error",
                    "The target is not that spread out but has outliers.",
                ),
            ),
            pytorch=(
                "No built-in loss: nn.MSELoss() applied to torch.log1p(y_pred) and "
                "torch.log1p(y_true), or nn.MSELoss() on log1p-transformed targets."
            ),
            keras="keras.losses.MeanSquaredLogarithmicError() with a Dense(1) output layer.",
            sklearn=(
                "TransformedTargetRegressor(regressor=..., func=np.log1p, inverse_func=np.expm1); "
                "metric sklearn.metrics.mean_squared_log_error."
            ),
            pitfalls=(
                "Where the linear output is negative the clip at 0 makes the gradient zero, and "
                "that sample stops teaching; predicting log(1 + y) directly avoids this.",
                "Under plain MSE the few huge targets dominate the loss and the small ones are "
                "ignored.",
            ),
        ),
        Recommendation(
            problem="count_regression",
            loss="poisson",
            loss_title="Poisson loss",
            activation="exp",
            activation_reason=(
                "A Poisson rate must be positive; exp maps the raw output z, any real number, into "
                "(0, ∞), and z is then the log of the rate."
            ),
            distribution="Poisson",
            rationale=(
                "Assume each count comes from a Poisson distribution whose rate λ the model "
                "predicts; the likelihood of a count y is P(y) = λʸ·e^(−λ)/y!. Taking −log "
                "gives λ − y·log λ + log(y!); the last "
                "term does not depend on the model. The rate must be positive, so the network's "
                "output z is read as log λ and the activation is exp: λ = exp(z), which maps any "
                "real number into (0, ∞) and makes effects multiplicative. Substituting log λ = z "
                "leaves exp(z) − y·z per sample, the Poisson loss. Its gradient, exp(z) − y, is "
                "simply the predicted rate minus the count."
            ),
            formula="L = (1/n) Σᵢ (exp(zᵢ) − yᵢ·zᵢ),   λ̂ = exp(z)",
            alternatives=(
                Alternative(
                    "mean_squared_error",
                    "The counts are large and roughly Gaussian; beware that a linear output can "
                    "predict negative counts.",
                ),
                Alternative(
                    "mean_squared_logarithmic_error",
                    "Relative errors matter and the counts span orders of magnitude.",
                ),
            ),
            pytorch=(
                "nn.PoissonNLLLoss(log_input=True) on the raw output: it computes exp(z) − y·z, "
                "exactly this loss."
            ),
            keras=(
                'keras.losses.Poisson() with Dense(1, activation="exponential"): it expects the '
                "rate λ, not its log."
            ),
            sklearn=(
                "PoissonRegressor (a GLM with log link); "
                'HistGradientBoostingRegressor(loss="poisson"); '
                "metric sklearn.metrics.mean_poisson_deviance."
            ),
            pitfalls=(
                "The loss drops log(y!), so its minimum is not 0; the Poisson deviance is the "
                "shifted version that is 0 for a perfect prediction.",
                "Poisson assumes variance = mean; counts that vary more (overdispersion) want a "
                "negative binomial likelihood.",
                "exp grows fast: a large learning rate or a large initial output z overflows the "
                "rate; start the bias near log(mean y).",
            ),
        ),
        Recommendation(
            problem="binary_classification",
            loss="binary_cross_entropy",
            loss_title="binary cross-entropy (log loss)",
            activation="sigmoid",
            activation_reason=(
                "A probability must lie in (0, 1); the sigmoid σ(z) = 1/(1 + e⁻ᶻ) maps any logit "
                "there, and the logit is then the log-odds."
            ),
            distribution="Bernoulli",
            rationale=(
                "Assume the label y ∈ {0, 1} is a coin flip whose probability of heads, p, the "
                "model predicts: y ~ Bernoulli(p). The likelihood of one label is "
                "pʸ·(1 − p)^(1−y): "
                "p when y = 1 and 1 − p when y = 0. Taking −log gives "
                "−[y·log p + (1 − y)·log(1 − p)], and its mean over the data is the binary "
                "cross-entropy, also called log loss. A probability must lie between 0 and 1, so "
                "the sigmoid σ(z) = 1/(1 + e⁻ᶻ) maps the network's real-valued output z into "
                "(0, 1), and z is then the log-odds log(p/(1 − p)). Computed from z directly the "
                "loss is softplus(z) − y·z, which stays finite for any z, and its gradient is "
                "simply p − y."
            ),
            formula="L = −(1/n) Σᵢ [yᵢ·log p̂ᵢ + (1 − yᵢ)·log(1 − p̂ᵢ)],   p̂ = σ(z) = 1/(1 + e⁻ᶻ)",
            alternatives=(
                Alternative(
                    "hinge",
                    "You want a maximum-margin classifier (a linear SVM) and no probabilities: "
                    "labels −1/+1, and points beyond the margin cost nothing.",
                ),
                Alternative(
                    "squared_hinge",
                    "As hinge, but smooth and punishing margin violations quadratically "
                    "(LinearSVC's default loss).",
                ),
                Alternative(
                    "mean_squared_error",
                    "Not recommended, kept as a lesson: it treats the 0/1 label as a Gaussian "
                    "number, so the linear output is not a probability (it leaves [0, 1]) and "
                    "points far on the correct side still pull the boundary.",
                    discouraged=True,
                ),
                Alternative(
                    "sigmoid_mean_squared_error",
                    "Not recommended, kept as a lesson: squared error after a sigmoid has the "
                    "gradient 2(p − y)·p·(1 − p), which vanishes when the sigmoid saturates, so a "
                    "confidently wrong prediction barely learns. Try it with a large initial "
                    "learning rate and compare with binary cross-entropy.",
                    discouraged=True,
                ),
            ),
            pytorch=(
                "nn.BCEWithLogitsLoss() on the raw logit, with no sigmoid layer: fusing sigmoid "
                "and log as softplus(z) − y·z is stable for any z, where nn.BCELoss on a sigmoid "
                "output loses precision (and clamps log at −100) once the sigmoid saturates."
            ),
            keras=(
                "keras.losses.BinaryCrossentropy(from_logits=True) with a Dense(1) output layer "
                "(activation=None)."
            ),
            sklearn=(
                "LogisticRegression (log loss plus an L2 penalty by default); "
                'SGDClassifier(loss="log_loss"); MLPClassifier (logistic output, log loss); '
                "metric sklearn.metrics.log_loss."
            ),
            pitfalls=(
                "Some tutorials drop the (1 − y)·log(1 − p) term; then the loss only rewards a "
                "high p and the model wins by predicting 1 for everything.",
                "A sigmoid output trained with squared error learns slowly when it saturates: its "
                "gradient carries the factor p·(1 − p) (sigmoid_mean_squared_error shows it).",
                "A sigmoid layer followed by a with-logits loss applies the sigmoid twice.",
            ),
        ),
        Recommendation(
            problem="multiclass_classification",
            loss="categorical_cross_entropy",
            loss_title="categorical cross-entropy",
            activation="softmax",
            activation_reason=(
                "K class probabilities must be positive and sum to 1; softmax maps K logits onto "
                "exactly that set."
            ),
            distribution="categorical",
            rationale=(
                "Assume the label is one draw from a categorical distribution over K classes "
                "whose probabilities p₁ … p_K the model predicts. The likelihood of a label c is "
                "just p_c, which with a one-hot target y can be written Πₖ pₖ^yₖ. Taking −log "
                "gives "
                "−log p_c = −Σₖ yₖ·log pₖ, and its mean over the data is the categorical "
                "cross-entropy. The K probabilities must be positive and sum to 1, so softmax, "
                "pₖ = exp(zₖ)/Σⱼ exp(zⱼ), maps the K real-valued outputs onto that set. From the "
                "logits directly the loss is logsumexp(z) − z_c, stable for any z, and its "
                "gradient is p − y."
            ),
            formula="L = −(1/n) Σᵢ Σₖ yᵢₖ·log p̂ᵢₖ,   p̂ = softmax(z)",
            alternatives=(
                Alternative(
                    "sparse_categorical_cross_entropy",
                    "The same loss taking integer labels 0 … K−1 instead of one-hot rows.",
                ),
                Alternative(
                    "kl_divergence",
                    "Equal to cross-entropy for one-hot targets, because H(y) = 0; it matters "
                    "when the targets are soft.",
                ),
                Alternative(
                    "binary_cross_entropy",
                    'Not recommended here: a sigmoid per class asks "is class k present?" '
                    "for each class independently, a multi-label question; the K probabilities "
                    "need not sum to 1.",
                    discouraged=True,
                ),
                Alternative(
                    "mean_squared_error",
                    "Not recommended, kept as a lesson: it regresses the one-hot rows as Gaussian "
                    "numbers, so the outputs are not probabilities and confident mistakes are "
                    "punished only quadratically, not without bound as under −log p.",
                    discouraged=True,
                ),
            ),
            pytorch=(
                "nn.CrossEntropyLoss() on the raw logits with integer class indices (it applies "
                "log_softmax itself: the same as nn.LogSoftmax(dim=1) then nn.NLLLoss(); do not "
                "add a softmax layer)."
            ),
            keras=(
                "keras.losses.SparseCategoricalCrossentropy(from_logits=True) for integer labels, "
                "keras.losses.CategoricalCrossentropy(from_logits=True) for one-hot rows, with a "
                "Dense(K) output layer."
            ),
            sklearn=(
                "LogisticRegression (multinomial, i.e. softmax, with the default lbfgs solver); "
                "MLPClassifier (softmax output, log loss); metric sklearn.metrics.log_loss."
            ),
            pitfalls=(
                "A softmax layer in front of a loss that already applies log_softmax squashes the "
                "outputs twice, and the model learns slowly.",
                "Softmax with per-class binary cross-entropy answers a different question: the "
                "classes are exclusive, but the loss scores each one as if it were independent.",
            ),
            equivalent=("sparse_categorical_cross_entropy",),
        ),
        Recommendation(
            problem="multilabel_classification",
            loss="binary_cross_entropy",
            loss_title="binary cross-entropy per label",
            activation="sigmoid",
            activation_reason=(
                "Each label has its own probability in (0, 1), independent of the others: one "
                "sigmoid per output, not a softmax across them."
            ),
            distribution="independent Bernoullis, one per label",
            rationale=(
                "Assume each of the L labels is its own coin flip, independent of the others given "
                "the input: yₗ ~ Bernoulli(pₗ). The likelihood of a 0/1 label vector is the "
                "product Πₗ pₗ^yₗ·(1 − pₗ)^(1−yₗ). Taking −log turns the product into a sum of "
                "binary cross-entropies, −Σₗ [yₗ·log pₗ + (1 − yₗ)·log(1 − pₗ)], averaged here "
                "over samples and labels. Each probability must lie in (0, 1) but they need not "
                "sum to 1, since several labels can be on at once, so each output gets its own "
                "sigmoid rather than a shared softmax."
            ),
            formula=("L = −(1/(n·L)) Σᵢ Σₗ [yᵢₗ·log p̂ᵢₗ + (1 − yᵢₗ)·log(1 − p̂ᵢₗ)],   p̂ = σ(z)"),
            alternatives=(
                Alternative(
                    "hinge",
                    "One margin classifier per label (one-vs-rest SVMs), labels −1/+1, without "
                    "probabilities.",
                ),
                Alternative(
                    "mean_squared_error",
                    "Not recommended, kept as a lesson: it treats each 0/1 label as a Gaussian "
                    "number, so the outputs are not probabilities and can leave [0, 1].",
                    discouraged=True,
                ),
            ),
            pytorch=(
                "nn.BCEWithLogitsLoss() on L raw logits with a float 0/1 target matrix "
                "(optionally pos_weight for rare labels)."
            ),
            keras=(
                "keras.losses.BinaryCrossentropy(from_logits=True) with a Dense(L) output layer "
                "(activation=None)."
            ),
            sklearn=(
                "MLPClassifier (accepts a 0/1 label matrix; logistic outputs); "
                "MultiOutputClassifier(LogisticRegression()) or ClassifierChain; metrics "
                "sklearn.metrics.hamming_loss and accuracy_score (subset accuracy)."
            ),
            pitfalls=(
                "A softmax output makes the labels compete for one unit of probability, so two "
                "labels that are both on cannot both be near 1.",
                "Each label needs its own decision threshold (0.5 by default); rare labels may "
                "need a lower one or a positive weight.",
            ),
        ),
        Recommendation(
            problem="soft_label_classification",
            loss="kl_divergence",
            loss_title="KL divergence",
            activation="softmax",
            activation_reason=(
                "The prediction is a probability distribution over K classes; softmax maps K "
                "logits onto the set of such distributions."
            ),
            distribution="categorical (target probabilities P, predicted Q)",
            rationale=(
                "Here each target is itself a distribution P over K classes, for example the "
                "share of annotators who chose each class. Think of it as many labels drawn from "
                "P and assume each is a categorical draw from the model's Q = softmax(z): the "
                "likelihood is Πₖ qₖ^(m·pₖ) for m labels, and −log of it, per label, is "
                "−Σₖ pₖ·log qₖ, the cross-entropy H(P, Q). Since H(P, Q) = H(P) + KL(P‖Q) and "
                "H(P) does not depend on the model, minimising the KL divergence gives the same "
                "gradients, q − p, and a loss that is 0 when Q = P. Softmax is the activation "
                "because Q must be positive and sum to 1."
            ),
            formula="L = (1/n) Σᵢ Σₖ pᵢₖ·log(pᵢₖ / q̂ᵢₖ),   q̂ = softmax(z)",
            alternatives=(
                Alternative(
                    "categorical_cross_entropy",
                    "The same gradients: cross-entropy is KL plus H(P), so it differs by a "
                    "constant and bottoms out at H(P), not 0.",
                ),
                Alternative(
                    "mean_squared_error",
                    "Not recommended, kept as a lesson: it regresses each probability as a "
                    "Gaussian number with a linear output, so the predictions need not be "
                    "positive or sum to 1.",
                    discouraged=True,
                ),
                Alternative(
                    "binary_cross_entropy",
                    "Not recommended: it scores each class independently, but the target "
                    "probabilities share one unit of mass.",
                    discouraged=True,
                ),
            ),
            pytorch=(
                'nn.KLDivLoss(reduction="batchmean") with input F.log_softmax(z, dim=1) '
                '(log-probabilities) and target P (probabilities); the default reduction="mean" '
                "divides by n·K, not n. Or nn.CrossEntropyLoss() with probability targets "
                "(same gradients)."
            ),
            keras=(
                "keras.losses.KLDivergence() on softmax probabilities (it takes no logits), or "
                "keras.losses.CategoricalCrossentropy(from_logits=True) with the soft targets "
                "(same gradients)."
            ),
            sklearn=(
                "No estimator takes soft labels. Workaround: repeat each sample once per class "
                "with sample_weight = its probability and fit LogisticRegression; that weighted "
                "log loss is exactly the cross-entropy."
            ),
            pitfalls=(
                "KL is not symmetric: KL(P‖Q) is infinite where Q = 0 but P > 0, so it makes Q "
                "cover all of P; KL(Q‖P) would rather fit one mode.",
                "PyTorch's KLDivLoss wants log-probabilities as input and probabilities as "
                "target, the reverse order of the notation KL(P‖Q).",
            ),
            equivalent=("categorical_cross_entropy",),
        ),
        Recommendation(
            problem="density_estimation",
            loss="gaussian_nll",
            loss_title="Gaussian negative log-likelihood",
            activation="exp",
            activation_reason=(
                "The parameters have ranges: the mean μ stays as it is, σ = exp(log σ) is "
                "positive, and a mixture weight π = sigmoid(w) lies in (0, 1)."
            ),
            distribution="a chosen density: a Gaussian, or a mixture of two Gaussians",
            rationale=(
                "With no inputs and no target, the data are samples x₁ … xₙ and the model is a "
                "density p(x; θ) with parameters θ. Assume the samples are independent draws: the "
                "likelihood is Πᵢ p(xᵢ; θ), and −log of it, averaged, is the negative "
                "log-likelihood −(1/n) Σᵢ log p(xᵢ; θ). For a Gaussian N(μ, σ²) each term is "
                "log σ + (x − μ)²/(2σ²) + ½·log(2π). SGD works on unconstrained numbers, so σ is "
                "stored as log σ and recovered with exp, which keeps it positive; a mixture "
                "weight goes through a sigmoid. For one Gaussian the minimum is also known in "
                "closed form: μ = the sample mean, σ² = the mean squared deviation (dividing by "
                "n, not n − 1)."
            ),
            formula="L = −(1/n) Σᵢ log p(xᵢ; θ);   Gaussian: log σ + (x − μ)²/(2σ²) + ½·log 2π",
            alternatives=(
                Alternative(
                    "gaussian_mixture_nll",
                    "The samples have two bumps, which one Gaussian cannot fit: a mixture of two "
                    "Gaussians can, though SGD may find a local optimum.",
                ),
            ),
            pytorch=(
                "-torch.distributions.Normal(mu, log_sigma.exp()).log_prob(x).mean(); "
                "torch.distributions.MixtureSameFamily for mixtures."
            ),
            keras=(
                "No built-in loss: a custom loss returning −log p(x), e.g. with TensorFlow "
                "Probability's tfd.Normal(loc, scale).log_prob(x)."
            ),
            sklearn=(
                "GaussianMixture(n_components=2) (fitted by EM; score(X) is the mean "
                "log-likelihood); KernelDensity for a non-parametric estimate."
            ),
            pitfalls=(
                "A mixture component can shrink onto a single sample, σ → 0, and the likelihood "
                "grows without bound; GaussianMixture adds reg_covar to prevent it.",
                "The NLL of a continuous density can be negative, because a density can exceed 1.",
                "Fitting σ directly lets SGD step to σ ≤ 0; fit log σ instead.",
            ),
        ),
    )
}


def _unknown_problem(key: object) -> ValueError:
    return ValueError(f"unknown problem {key!r}; allowed: {', '.join(PROBLEMS)}")


def get_problem(key: str) -> Problem:
    """The Problem for `key`; ValueError listing the allowed keys if there is none."""
    try:
        return PROBLEMS[key]
    except (KeyError, TypeError):
        raise _unknown_problem(key) from None


def recommend(key: str) -> Recommendation:
    """The recommended loss, activation and maximum-likelihood reasoning for problem `key`."""
    return RECOMMENDATIONS[get_problem(key).key]


def is_recommended(problem: str, loss: str) -> bool:
    """Whether `loss` is the recommended loss for `problem` or the same choice in another form."""
    rec = recommend(problem)
    return loss == rec.loss or loss in rec.equivalent


# ---------------------------------------------------------------------------------------------
# The guided question path: plain data the UI walks, ending at a PROBLEMS key.


@dataclass(frozen=True)
class Answer:
    """One answer to a question: it leads either to the next question or to a problem."""

    key: str
    text: str
    next: str | None = None
    problem: str | None = None


@dataclass(frozen=True)
class Question:
    """A question of the guided path; `answers` in the order they are shown."""

    key: str
    text: str
    answers: tuple[Answer, ...] = field(default_factory=tuple)

    def answer(self, choice: int | str) -> Answer:
        """The Answer chosen by index or by key; ValueError naming the allowed choices."""
        if isinstance(choice, int) and not isinstance(choice, bool):
            if 0 <= choice < len(self.answers):
                return self.answers[choice]
        else:
            for a in self.answers:
                if a.key == choice:
                    return a
        allowed = ", ".join(a.key for a in self.answers)
        raise ValueError(
            f"no answer {choice!r} to {self.text!r}; allowed: {allowed} "
            f"or an index 0-{len(self.answers) - 1}"
        )


FIRST_QUESTION = "target"

QUESTIONS: dict[str, Question] = {
    q.key: q
    for q in (
        Question(
            "target",
            "What is your target?",
            (
                Answer("real", "a real number", next="outliers"),
                Answer("count", "a count (0, 1, 2, …)", problem="count_regression"),
                Answer("binary", "one of two classes", problem="binary_classification"),
                Answer("multiclass", "one of many classes", problem="multiclass_classification"),
                Answer("multilabel", "several labels at once", problem="multilabel_classification"),
                Answer(
                    "distribution",
                    "a probability distribution",
                    problem="soft_label_classification",
                ),
                Answer("samples", "no target, only samples", problem="density_estimation"),
            ),
        ),
        Question(
            "outliers",
            "Are there gross outliers?",
            (
                Answer("yes", "yes, a few targets are far off", problem="robust_regression"),
                Answer("no", "no", next="wide_range"),
            ),
        ),
        Question(
            "wide_range",
            "Does it span orders of magnitude (always positive)?",
            (
                Answer("yes", "yes, e.g. 3 to 30,000", problem="wide_range_regression"),
                Answer("no", "no", problem="regression"),
            ),
        ),
    )
}


def walk(choices: Sequence[int | str]) -> str | Question:
    """Follow `choices` (answer indices or keys) from the first question.

    Returns the PROBLEMS key reached, or the Question still to be answered. ValueError for a
    choice that is not an answer, or for choices left over after a problem is reached.
    """
    question = QUESTIONS[FIRST_QUESTION]
    for i, choice in enumerate(choices):
        answer = question.answer(choice)
        if answer.problem is not None:
            if i != len(choices) - 1:
                raise ValueError(
                    f"{len(choices) - i - 1} choice(s) left over after reaching {answer.problem!r}"
                )
            return answer.problem
        question = QUESTIONS[answer.next]  # type: ignore[index]
    return question


def question_paths() -> dict[str, tuple[str, ...]]:
    """Each problem key → the answer keys that lead to it from the first question."""
    paths: dict[str, tuple[str, ...]] = {}

    def visit(qkey: str, prefix: tuple[str, ...]) -> None:
        for a in QUESTIONS[qkey].answers:
            if a.problem is not None:
                paths.setdefault(a.problem, (*prefix, a.key))
            elif a.next is not None:
                visit(a.next, (*prefix, a.key))

    visit(FIRST_QUESTION, ())
    return paths
