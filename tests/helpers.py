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

Tỷ lệ ký số đạt {fact}`ty-le`, có {fact}`so-to` tổ, ngày {fact}`ngay`.

```{notes}
GHI CHÚ BÍ MẬT CHO BÁO CÁO VIÊN
```

```{chart} Biểu đồ thử
:facts: ty-le
```
""",
    "slides/decks/buoi-mot.yml": """\
title: Buổi tập huấn
lessons:
  - bai-mot
""",
}


def make_tree(root: Path, changes: dict[str, object] | None = None) -> Path:
    """Write the base tree with ``changes`` applied; a value of ``None`` deletes that file.

    A change may be text, or a mapping ``{"text": ..., "encoding": ..., "normalize": ...}``
    for files saved in another encoding or Unicode form.
    """
    files: dict[str, object] = {**BASE, **(changes or {})}
    for rel, content in files.items():
        if content is None:
            continue
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, dict):
            text = content["text"]
            if content.get("normalize"):
                text = unicodedata.normalize(content["normalize"], text)
            path.write_bytes(text.encode(content.get("encoding", "utf-8")))
        else:
            path.write_text(str(content), encoding="utf-8")
    return root
