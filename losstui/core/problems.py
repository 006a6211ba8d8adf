"""The problem catalogue, the guided question path and recommend(): which loss, and why.

The recommendations' prose and the question path are Markdown files in `losstui/content/`, read
here with `losstui.core.content`.
"""

from __future__ import annotations

import enum
import functools
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from losstui.core.content import (
    CONTENT_DIR,
    Block,
    ContentError,
    Document,
    Section,
    bullet_items,
    one_paragraph,
    read_document,
    split_sections,
)

if TYPE_CHECKING:
    from losstui.core.losses import Loss

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
    "Standing",
    "Verdict",
    "get_problem",
    "is_recommended",
    "load_questions",
    "load_recommendation",
    "loss_verdict",
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

    `discouraged` marks a loss that is not recommended for the problem: it runs, so that it can be
    compared, but it answers a worse question (`when` says why).
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
    The prose comes from `losstui/content/recommendations/<problem>.md`; `loss_title` and
    `formula` are the loss's own `title` and `formula` in LOSSES, so each loss has one text.
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
            datasets=("counts", "large_counts", "overdispersed_counts"),
        ),
        Problem(
            key="binary_classification",
            title="Binary classification",
            summary="Predict one of two classes, e.g. spam or not spam.",
            target="one of two classes, coded 0 and 1",
            kind="binary",
            default_dataset="two_blobs",
            datasets=(
                "two_blobs",
                "far_cluster",
                "moons",
                "circles",
                "xor",
                "spiral",
                "article_circles",
                "two_blobs_1d",
            ),
        ),
        Problem(
            key="multiclass_classification",
            title="Multi-class classification",
            summary="Predict one of K classes, e.g. which digit is in an image.",
            target="one of K classes, as an integer label 0 … K−1",
            kind="multiclass",
            default_dataset="blobs",
            datasets=("blobs", "spiral3", "article_blobs"),
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
            default_dataset="annotator_votes",
            datasets=("annotator_votes", "soft_softmax"),
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


# ---------------------------------------------------------------------------------------------
# Recommendations: one Markdown file per problem in losstui/content/recommendations/.

RECOMMENDATIONS_DIR = os.path.join(CONTENT_DIR, "recommendations")

#: The section headings of a recommendation file, in the order the files use.
_SECTIONS = (
    "Why (maximum likelihood)",
    "Why this activation",
    "Alternatives",
    "PyTorch",
    "Keras",
    "scikit-learn",
    "Pitfalls",
)
_OPTIONAL_SECTIONS = ("Alternatives", "Pitfalls")
_FRONT_MATTER = ("loss", "activation", "distribution", "equivalent")
_ALTERNATIVE = re.compile(r"(\S+?)(\s+\(not recommended\))?\Z")


def _loss_key(doc: Document, key: str, value: str, losses: Mapping[str, Loss]) -> str:
    if value not in losses:
        raise doc.error(key, f"unknown loss {value!r} in `{key}`; allowed: {', '.join(losses)}")
    return value


def load_recommendation(path: str, losses: Mapping[str, Loss] | None = None) -> Recommendation:
    """The Recommendation in the content file at `path`, for the problem its file name names.

    Its `loss_title` and `formula` are the `title` and `formula` of `losses[loss]` (LOSSES by
    default), so each loss has one text. ContentError (a ValueError naming the
    file, the line and the problem) for a file that does not follow the format.
    """
    if losses is None:
        from losstui.core.losses import LOSSES  # numpy: paid when a recommendation is read

        losses = LOSSES
    doc = read_document(path)
    _check_front_matter(doc)
    loss = _loss_key(doc, "loss", doc.require("loss"), losses)
    loss_title, formula = losses[loss].title, losses[loss].formula
    equivalent = tuple(
        _loss_key(doc, "equivalent", name.strip(), losses)
        for name in doc.meta.get("equivalent", "").split(",")
        if name.strip()
    )
    found = _recommendation_sections(doc)

    def text(title: str) -> str:
        return one_paragraph(found[title].body, f"section '# {title}'")

    alternatives = _alternatives(doc, found.get("Alternatives"), losses)
    pitfalls = _pitfalls(found.get("Pitfalls"))
    return Recommendation(
        problem=os.path.splitext(os.path.basename(path))[0],
        loss=loss,
        loss_title=loss_title,
        activation=doc.require("activation"),
        activation_reason=text("Why this activation"),
        distribution=doc.require("distribution"),
        rationale=text("Why (maximum likelihood)"),
        formula=formula,
        alternatives=alternatives,
        pytorch=text("PyTorch"),
        keras=text("Keras"),
        sklearn=text("scikit-learn"),
        pitfalls=pitfalls,
        equivalent=equivalent,
    )


def _check_front_matter(doc: Document) -> None:
    """A recommendation's front matter holds only the keys of _FRONT_MATTER."""
    for key in doc.meta:
        if key not in _FRONT_MATTER:
            raise doc.error(
                key, f"unknown key `{key}` in the front matter; allowed: {', '.join(_FRONT_MATTER)}"
            )


def _recommendation_sections(doc: Document) -> dict[str, Section]:
    """The `# Title` sections of a recommendation by title: each one of _SECTIONS, none twice,
    and every one that is not optional there."""
    found: dict[str, Section] = {}
    for section in split_sections(doc.body):
        if section.title not in _SECTIONS:
            raise ContentError(
                doc.source,
                section.line,
                f"unknown section '# {section.title}'; allowed: {', '.join(_SECTIONS)}",
            )
        if section.title in found:
            raise ContentError(
                doc.source,
                section.line,
                f"section '# {section.title}' appears twice (first on line "
                f"{found[section.title].line})",
            )
        found[section.title] = section
    for title in _SECTIONS:
        if title not in found and title not in _OPTIONAL_SECTIONS:
            raise ContentError(doc.source, None, f"section '# {title}' is missing")
    return found


def _alternatives(
    doc: Document, section: Section | None, losses: Mapping[str, Loss]
) -> tuple[Alternative, ...]:
    """The `## loss` subsections of the optional `# Alternatives` section, in file order."""
    if section is None:
        return ()
    subsections = split_sections(section.body, level=2)
    if not subsections:
        raise ContentError(doc.source, section.line, "'# Alternatives' has no '## loss' headings")
    alternatives: list[Alternative] = []
    for sub in subsections:
        match = _ALTERNATIVE.match(sub.title)
        if match is None or match.group(1) not in losses:
            raise ContentError(
                doc.source,
                sub.line,
                f"an alternative's heading is a loss key, optionally followed by "
                f"'(not recommended)'; got {sub.title!r}; loss keys: {', '.join(losses)}",
            )
        when = one_paragraph(sub.body, f"alternative '## {sub.title}'")
        alternatives.append(Alternative(match.group(1), when, match.group(2) is not None))
    return tuple(alternatives)


def _pitfalls(section: Section | None) -> tuple[str, ...]:
    """The bullet items of the optional `# Pitfalls` section."""
    if section is None:
        return ()
    return tuple(item for _, item in bullet_items(section.body, "section '# Pitfalls'"))


@functools.cache
def _recommendations() -> dict[str, Recommendation]:
    """Every problem's Recommendation, read once, on first use (so that importing this module
    stays free of numpy, which the losses' titles and formulas bring in)."""
    for name in sorted(os.listdir(RECOMMENDATIONS_DIR)):
        stem, ext = os.path.splitext(name)
        if ext == ".md" and stem not in PROBLEMS:
            raise ContentError(
                os.path.join(RECOMMENDATIONS_DIR, name),
                None,
                f"no problem {stem!r} in the catalogue; allowed: {', '.join(PROBLEMS)}",
            )
    return {
        key: load_recommendation(os.path.join(RECOMMENDATIONS_DIR, f"{key}.md")) for key in PROBLEMS
    }


if TYPE_CHECKING:
    RECOMMENDATIONS: dict[str, Recommendation]  # read on first use, by __getattr__ below


def __getattr__(name: str) -> Any:
    # RECOMMENDATIONS is read on first use: see _recommendations.
    if name == "RECOMMENDATIONS":
        return _recommendations()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
    return _recommendations()[get_problem(key).key]


def is_recommended(problem: str, loss: str) -> bool:
    """Whether `loss` is the recommended loss for `problem` or the same choice in another form."""
    rec = recommend(problem)
    return loss == rec.loss or loss in rec.equivalent


class Standing(str, enum.Enum):
    """The three kinds of loss for a problem, named the same on every pane and in the CLI."""

    RECOMMENDED = "recommended"
    ALTERNATIVE = "reasonable alternative"
    NOT_RECOMMENDED = "not recommended"


@dataclass(frozen=True)
class Verdict:
    """Where a loss stands for a problem, and why: for the recommended loss the distribution it
    assumes, for an alternative when to prefer it, for the others why not."""

    standing: Standing
    reason: str


def loss_verdict(problem: str, loss: str) -> Verdict:
    """The `Verdict` on `loss` for `problem`: recommended (or the same choice in another form), a
    reasonable alternative the recommendation lists, or not recommended (listed as such; a trap,
    with what goes wrong; or not listed at all: it answers another kind of target)."""
    rec = recommend(problem)
    if is_recommended(problem, loss):
        return Verdict(Standing.RECOMMENDED, f"the likelihood of y ~ {rec.distribution}")
    for alt in rec.alternatives:
        if alt.loss == loss:
            standing = Standing.NOT_RECOMMENDED if alt.discouraged else Standing.ALTERNATIVE
            return Verdict(standing, alt.when)
    from losstui.core.losses import LOSSES  # numpy: paid when a verdict is asked for

    if loss in LOSSES and LOSSES[loss].trap:
        return Verdict(Standing.NOT_RECOMMENDED, LOSSES[loss].when_to_use)
    target = PROBLEMS[problem].target
    return Verdict(
        Standing.NOT_RECOMMENDED,
        f"it is made for another kind of target; this problem's target is {target}",
    )


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


QUESTIONS_FILE = os.path.join(CONTENT_DIR, "questions.md")

_ANSWER = re.compile(
    r"(?P<key>[a-z0-9_]+):\s*(?P<text>.+?)\s+->\s+(?P<kind>next|problem):\s*(?P<to>\S+)\Z"
)


def load_questions(path: str) -> dict[str, Question]:
    """The guided question path in the content file at `path`, in file order: the first question
    is asked first. Each `# key` section holds the question's text, then its answers as
    `- key: text -> next: question` or `- key: text -> problem: problem_key`.

    ContentError naming the file and line for an answer that is malformed, leads to an unknown
    question or problem, or a question that is never asked or leads back to itself.
    """
    doc = read_document(path)
    if doc.meta:
        raise doc.error(next(iter(doc.meta)), "a question file has no front matter")
    questions: dict[str, Question] = {}
    lines: dict[tuple[str, str], int] = {}  # (question, answer) → the answer's line
    heads: dict[str, int] = {}  # question → its heading's line
    for section in split_sections(doc.body):
        key = _question_key(doc, section, questions)
        questions[key] = _question(doc, key, section.line, section.body, lines)
        heads[key] = section.line
    if not questions:
        raise ContentError(doc.source, None, "no questions: expected `# key` sections")
    _check_path(doc, questions, lines, heads)
    return questions


def _question_key(doc: Document, section: Section, questions: Mapping[str, Question]) -> str:
    """The key a `# key` heading gives its question: lower case with underscores, and new."""
    key = section.title
    if not re.fullmatch(r"[a-z0-9_]+", key):
        raise ContentError(
            doc.source,
            section.line,
            f"a question's heading is its key in lower case with underscores, got {key!r}",
        )
    if key in questions:
        raise ContentError(doc.source, section.line, f"question {key!r} appears twice")
    return key


def _question(
    doc: Document, key: str, head: int, body: Block, lines: dict[tuple[str, str], int]
) -> Question:
    """Question `key` (its heading at line `head`): its text, then its `- ` answers, whose lines
    go into `lines`."""
    split = next((i for i, line in enumerate(body.lines) if line.startswith("- ")), None)
    if split is None:
        raise ContentError(doc.source, head, f"question {key!r} has no `- ` answers")
    text = one_paragraph(
        Block(body.source, body.start, body.lines[:split]), f"the text of question {key!r}"
    )
    answers: list[Answer] = []
    rest = Block(body.source, body.start + split, body.lines[split:])
    for line, item in bullet_items(rest, f"the answers to {key!r}"):
        answer = _answer(doc, line, item, answers)
        answers.append(answer)
        lines[key, answer.key] = line
    return Question(key, text, tuple(answers))


def _answer(doc: Document, line: int, item: str, before: Sequence[Answer]) -> Answer:
    """`key: text -> next: question` or `key: text -> problem: problem_key`, at `line`, with a
    key none of the answers `before` it has; the question it leads to is checked once every
    question is read."""
    match = _ANSWER.match(item)
    if match is None:
        raise ContentError(
            doc.source,
            line,
            "an answer is `- key: text -> next: question` or "
            f"`- key: text -> problem: problem_key`, got {item!r}",
        )
    if any(a.key == match["key"] for a in before):
        raise ContentError(doc.source, line, f"answer {match['key']!r} appears twice")
    if match["kind"] == "problem" and match["to"] not in PROBLEMS:
        raise ContentError(
            doc.source,
            line,
            f"unknown problem {match['to']!r}; allowed: {', '.join(PROBLEMS)}",
        )
    return Answer(match["key"], match["text"], **{match["kind"]: match["to"]})


def _check_path(
    doc: Document,
    questions: Mapping[str, Question],
    lines: Mapping[tuple[str, str], int],
    heads: Mapping[str, int],
) -> None:
    """From the first question, every answer's next question exists and does not lead back to
    one asked on the way there, and every question is asked."""
    asked: set[str] = set()

    def visit(qkey: str, path: tuple[str, ...]) -> None:
        asked.add(qkey)
        for a in questions[qkey].answers:
            if a.next is None:
                continue
            where = lines[qkey, a.key]
            if a.next not in questions:
                raise ContentError(
                    doc.source,
                    where,
                    f"unknown question {a.next!r}; allowed: {', '.join(questions)}",
                )
            if a.next in path:
                raise ContentError(doc.source, where, f"answer {a.key!r} leads back to {a.next!r}")
            visit(a.next, (*path, a.next))

    first = next(iter(questions))
    visit(first, (first,))
    for qkey in questions:
        if qkey not in asked:
            raise ContentError(
                doc.source,
                heads[qkey],
                f"question {qkey!r} is never asked: no answer leads to it",
            )


QUESTIONS: dict[str, Question] = load_questions(QUESTIONS_FILE)
#: The key of the question the path starts with: the first one in the file.
FIRST_QUESTION: str = next(iter(QUESTIONS))


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
