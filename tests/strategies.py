"""Hypothesis strategies for hostile input: pages and queries nobody should send, but might.

Used by the fuzz tests (a few hundred examples) and by bench/fuzz.py (10,000 of each).
"""

from hypothesis import strategies as st

BYLINES = [
    "本报讯（记者 刘欣欣）",
    "本报记者 崔欣 摄影报道",
    "文/图 本报记者 边磊",
    "（记者 周美玉 通讯员 孙丹）",
    "新华社北京1月1日电（记者 X）",
    "本报北京1月5日讯记者 A、B报道：",
    "（新华社记者 X 摄）",
    "实习记者",
    "通讯员",
]
FRAGMENTS = [
    "北京市总工会",
    "（以下简称“市总”）",
    "职工",
    "。",
    "，",
    "：",
    "；",
    "“",
    "”",
    "（",
    "）",
    "【",
    "】",
    "\u3000\u3000",
    "\u00a0",
    "\r\n",
    "\n",
    "\n\n",
    "责任编辑：X",
    "第１版",
]

control = st.characters(
    codec="utf-8", categories=["Cc", "Cf", "Cs", "Co"], exclude_characters="\x00"
)
lines = st.lists(st.sampled_from(BYLINES + FRAGMENTS) | st.text(max_size=30), max_size=60).map(
    "".join
)
nested = st.integers(1, 200).map(lambda depth: "（" * depth + "工会" + "）" * depth)

pages = st.one_of(
    st.text(max_size=3000),  # random Unicode
    lines,  # union-newspaper-shaped noise
    st.lists(st.sampled_from(BYLINES), min_size=1, max_size=40).map("\n\n".join),  # only bylines
    nested,
    st.text(alphabet=control, max_size=500),  # control characters
    st.tuples(st.text(min_size=1, max_size=5), st.integers(1000, 60_000)).map(
        lambda p: p[0] * p[1]
    ),  # huge lines
    st.binary(max_size=2000).map(lambda b: b.decode("utf-8", "replace")),
)

queries = st.one_of(
    st.text(max_size=300),
    st.lists(
        st.sampled_from(
            [
                '"',
                "“",
                "”",
                "-",
                "记者:",
                "工会:",
                "org:",
                "reporter:",
                "*",
                "?",
                "~",
                "^",
                "(",
                ")",
                "AND",
                "OR",
                "NOT",
                "工会",
                "职工",
                " ",
                ":",
                "\\",
                "[",
                "]",
                "{",
                "}",
            ]
        ),
        max_size=40,
    ).map("".join),
    st.text(min_size=150, max_size=2500),  # over the length limit
)
