"""Each LaTeX leftover of the seeds becomes Markdown; real math stays for the site to render."""

import pytest

from generator.importers.latex import latex_to_markdown, tidy_title


@pytest.mark.parametrize(
    ("source", "markdown"),
    [
        (
            r"we introduce {\em Convergent Actor-Critic} (COACH)",
            "we introduce *Convergent Actor-Critic* (COACH)",
        ),
        (r"to judge {\em and} follow", "to judge *and* follow"),
        (
            r"released\url{https://github.com/thunlp/UltraChat}.",
            "released [https://github.com/thunlp/UltraChat](https://github.com/thunlp/UltraChat).",
        ),
        (
            r"website $\href{https://x.github.io}{\text{x.github.io}}$.",
            "website [x.github.io](https://x.github.io).",
        ),
        (r"with $\texttt{t5x}$ and $\texttt{seqio}$", "with `t5x` and `seqio`"),
        (r"we propose \framework that", "we propose framework that"),
        (r"we introduce \braxlines, a toolkit", "we introduce braxlines, a toolkit"),
        (r"language models~(LLMs) with", "language models (LLMs) with"),
        (r"including: 1)~learning from observations", "including: 1) learning from observations"),
        (r"from ~80 publicly available models", "from ~80 publicly available models"),
        (r"speed by 3.3x~15x", "speed by 3.3x~15x"),
        (r"na\"ive learner", "naïve learner"),
        (r"up to 80\% and data \& models", "up to 80% and data & models"),
        (
            "the ``grokking'' effect",
            "the \N{LEFT DOUBLE QUOTATION MARK}grokking\N{RIGHT DOUBLE QUOTATION MARK} effect",
        ),
        (
            "that `bigger is better', we",
            "that \N{LEFT SINGLE QUOTATION MARK}bigger is better"
            "\N{RIGHT SINGLE QUOTATION MARK}, we",
        ),
        (r"a loss $\mathcal{L}(\theta) = x^2$ here", r"a loss $\mathcal{L}(\theta) = x^2$ here"),
        (r"where $k$ grows", r"where $k$ grows"),
        ("STEVE-1 costs just $60 to train", r"STEVE-1 costs just \$60 to train"),
        ("between $5 and $6 a day", r"between \$5 and \$6 a day"),
    ],
)
def test_latex_debris_becomes_markdown(source: str, markdown: str) -> None:
    assert latex_to_markdown(source) == markdown


@pytest.mark.parametrize(
    ("title", "tidy"),
    [
        ("ACE : Off-Policy Actor-Critic", "ACE: Off-Policy Actor-Critic"),
        ("Scaling  Up   Models ( and Data )", "Scaling Up Models (and Data)"),
        ("What now ? Really !", "What now? Really!"),
        (
            r"Scaling Up Models and Data with $\texttt{t5x}$",
            "Scaling Up Models and Data with `t5x`",
        ),
    ],
)
def test_titles_are_tidied(title: str, tidy: str) -> None:
    assert tidy_title(title) == tidy
