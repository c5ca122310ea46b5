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


# Pages built to make a parser slow (one huge line, deep brackets, thousands of bylines):
# tests/parsing/test_robustness.py parses them, bench/fuzz.py times them.
HOSTILE_PAGES = {
    "huge line": "字" * 200_000,
    "nested brackets": "（" * 50_000 + "记者" + "）" * 50_000,
    "only bylines": "\n\n".join(["本报讯（记者 张三 李四 通讯员 王五）"] * 2000),
    "union storm": "标题\n\n本报讯（记者 张三）" + "工会。" * 20_000,
    "many headlines": "\n\n".join(f"标题{i}号" for i in range(5000)),
    "control chars": "".join(chr(c) for c in range(32)) * 1000,
    "astral": "\U0001f600\U00020000\n\n" * 3000,
}
