"""Tiny throwaway course trees for tests: a valid base, changed file by file."""

from __future__ import annotations

import unicodedata
from pathlib import Path

BASE: dict[str, str] = {
    "course/course.yml": """\
title: Khóa thử nghiệm
language: vi
audiences:
  - id: can-bo
    title: Cán bộ cấp xã
modules:
  - id: mot
    title: Học phần một
    lessons:
      - bai-mot
""",
    "course/sources.yml": """\
- id: nguon-a
  title: Bài báo A
  publisher: Báo A
  date: 2022-10-06
  file: a.txt
""",
    "course/facts.yml": """\
- id: ty-le
  label: Tỷ lệ ký số
  value: 98.72
  unit: "%"
  source: nguon-a
  quote: đạt 98,72%
- id: so-to
  label: Số tổ
  value: 14478
  unit: tổ
  source: nguon-a
  quote: 14.478 thành viên
- id: ngay
  label: Ngày sự kiện
  value: 2022-10-06
  source: nguon-a
  quote: Ngày 6/10/2022
""",
    "course/glossary.yml": """\
- term: Xã hội số
  definition: Người dân dùng công nghệ số.
- term: Ăn khớp
  definition: Mục để thử thứ tự chữ cái.
- term: Chính quyền số
  definition: Chính quyền làm việc trên môi trường số.
""",
    "course/lessons/bai-mot.md": """\
---
title: Bài một
objectives:
  - Hiểu ba trụ cột.
keypoints:
  - Ghi nhớ một.
duration:
  teaching: 30
  exercises: 15
audience:
  - can-bo
---

## Phần đầu

Tỷ lệ ký số đạt {fact}`ty-le`, có {fact}`so-to`, ngày {fact}`ngay`.
{term}`Chính quyền số` và {term}`xã hội số` phải {term}`ăn khớp`.
```{notes}
GHI CHÚ BÍ MẬT CHO BÁO CÁO VIÊN
```

```{chart} Biểu đồ thử, 2022
:facts: ty-le
```

```{quiz} Ôn tập
:questions: chon-mot chon-nhieu dung-sai
```

```{quiz}
:tags: thu
:count: 4
```
""",
    "quizzes/bai-mot.yml": """\
- id: chon-mot
  type: single
  prompt: Có mấy trụ cột?
  choices:
    - id: a
      text: Hai
      feedback: Thiếu một trụ cột.
    - id: b
      text: Ba
      correct: true
      feedback: Đúng vậy.
  explanation: Chính quyền số, kinh tế số và xã hội số.
  source: nguon-a
- id: chon-nhieu
  type: multiple
  prompt: Những gì là trụ cột?
  choices:
    - text: Kinh tế số
      correct: true
    - text: Xã hội số
      correct: true
    - text: Du lịch số
  explanation: Hai trong ba trụ cột.
  source: nguon-a
- id: dung-sai
  type: true-false
  prompt: Tỷ lệ ký số đạt {fact}`ty-le`.
  answer: true
  feedback:
    right: Số liệu khớp với nguồn A.
    wrong: Xem lại bài.
  explanation: Số liệu của nguồn A.
  source: [ty-le]
- id: so
  type: numeric
  prompt: Có bao nhiêu tổ?
  answer: "14.478"
  unit: tổ
  explanation: Theo nguồn A.
  source: [so-to]
  tags: [thu]
- id: chu
  type: text
  prompt: Trụ cột thứ nhất là gì?
  accept: [chính quyền số]
  ignore_accents: true
  explanation: Chính quyền số đi đầu.
  source: nguon-a
  tags: [thu]
- id: ghep
  type: matching
  prompt: Ghép mỗi trụ cột với ví dụ.
  pairs:
    - {term: Chính quyền số, match: Ký số văn bản}
    - {term: Kinh tế số, match: Bán hàng trên sàn}
  explanation: Mỗi trụ cột một ví dụ.
  source: nguon-a
  tags: [thu]
- id: thu-tu
  type: ordering
  prompt: Sắp xếp các bước.
  steps:
    - Đăng nhập
    - Nộp hồ sơ
    - Nhận kết quả
  explanation: Đăng nhập trước, nhận kết quả sau.
  source: nguon-a
  tags: [thu]
""",
    "slides/decks/buoi-mot.yml": """\
title: Buổi tập huấn
lessons:
  - bai-mot
""",
}


def make_tree(root: Path, changes: dict[str, object] | None = None) -> Path:
    """Write the base tree with ``changes`` applied; a value of ``None`` deletes that file.

    A change may be text, bytes, or a mapping: ``{"text": ..., "encoding": ...,
    "normalize": ..., "times": n, "prefix": ..., "suffix": ...}`` for files saved in another
    encoding or Unicode form (or ``text`` repeated ``times`` between a prefix and a suffix),
    ``{"symlink": target}`` for a symbolic link.
    """
    files: dict[str, object] = {**BASE, **(changes or {})}
    for rel, content in files.items():
        if content is None:
            continue
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, dict) and "symlink" in content:
            path.symlink_to(content["symlink"])
        elif isinstance(content, dict):
            text = (
                content.get("prefix", "")
                + content["text"] * content.get("times", 1)
                + content.get("suffix", "")
            )
            if content.get("normalize"):
                text = unicodedata.normalize(content["normalize"], text)
            path.write_bytes(text.encode(content.get("encoding", "utf-8")))
        else:
            path.write_text(str(content), encoding="utf-8")
    return root


def leaf_shapes(shapes):  # noqa: ANN001, ANN201
    """The shapes of a slide with groups opened (a group's children keep slide coordinates,
    as the deck writer never scales a group)."""
    for shape in shapes:
        if shape.shape_type == 6:  # MSO_SHAPE_TYPE.GROUP
            yield from leaf_shapes(shape.shapes)
        else:
            yield shape


def measured_characters(write) -> tuple[float, int]:  # noqa: ANN001
    """Seconds ``write()`` takes and the characters the deck writer measures meanwhile (a
    count of work that, unlike a time, does not depend on the machine)."""
    import time

    from builder.render.decks import textfit

    count = 0
    width = textfit.width

    def counting(text: str, *args: object, **kwargs: object) -> float:
        nonlocal count
        count += len(text)
        return width(text, *args, **kwargs)

    textfit.width = counting
    try:
        start = time.perf_counter()
        write()
        return time.perf_counter() - start, count
    finally:
        textfit.width = width


def write_notebooks(course, out: Path) -> list[Path]:  # noqa: ANN001
    """The course's notebooks (and their media) written in ``out`` by the build's writer, as the
    build writes them in the output's notebooks folder."""
    from builder.publish import Output, write
    from builder.render import notebooks

    inside = notebooks.FOLDER + "/"
    outputs = [Output(o.path.removeprefix(inside), o.make) for o in notebooks.outputs(course)]
    written, _ = write(outputs, out)
    return [out / p for p in written if p.endswith(".ipynb")]
