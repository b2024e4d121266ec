"""Interface text of the key-accounts screen, in English and Chinese (registered on import)."""

from __future__ import annotations

from coach.tui.i18n import add_strings

STRINGS = {
    "en": {
        "acc.menu": "Key accounts",
        "acc.menu.about": "Tiers, the relationship map, its warnings and the annual business plan.",
        "bind.acc-view": "Map/coverage",
        "acc.empty": "No accounts yet. Add one: coach account add NAME --tier national",
        "acc.pick": "↑↓ an account · v map or coverage · r refresh",
        "acc.loading": "Reading the accounts…",
        "acc.tier": "{label} account: {what}",
        "acc.needs": "What it needs: {needs}",
        "acc.no_tier": "no tier yet (coach account edit NAME --tier ...)",
        "acc.warnings": "Coach's warnings",
        "acc.count": "{n} warnings",
        "acc.count.one": "1 warning",
        "acc.no_warnings": "No warnings: the map is in good shape.",
        "acc.map": "Relationship map",
        "acc.coverage": "Coverage: our people × their people",
        "acc.error": "Could not read the accounts: {error}",
    },
    "zh": {
        "acc.menu": "重点客户",
        "acc.menu.about": "客户级别、客情关系图和教练提醒，以及年度客户业务计划。",
        "bind.acc-view": "关系图/覆盖",
        "acc.empty": "还没有客户。添加：coach account add 名称 --tier national",
        "acc.pick": "↑↓ 选客户 · v 关系图或覆盖矩阵 · r 刷新",
        "acc.loading": "正在读取客户…",
        "acc.tier": "{label}客户：{what}",
        "acc.needs": "这一级要什么：{needs}",
        "acc.no_tier": "尚未分级（coach account edit 名称 --tier ...）",
        "acc.warnings": "教练提醒",
        "acc.count": "{n} 条提醒",
        "acc.count.one": "1 条提醒",
        "acc.no_warnings": "没有需要提醒的问题，客情关系图状态良好。",
        "acc.map": "客情关系图",
        "acc.coverage": "覆盖矩阵：我方 × 客户方",
        "acc.error": "读取客户失败：{error}",
    },
}

add_strings(STRINGS)


def menu() -> dict[str, tuple[str, str]]:
    """The screen's title and one-line description on the home page, per language."""
    return {lang: (STRINGS[lang]["acc.menu"], STRINGS[lang]["acc.menu.about"]) for lang in ("en", "zh")}
