"""Interface text in English and Chinese, the language default, and Chinese wording of the engine's reasons.

Screens added later register their own strings with ``add_strings``; a missing key is a bug that the
test suite catches (``tr`` raises ``KeyError``).
"""

from __future__ import annotations

import locale
import os
import re
from collections.abc import Mapping

LANGS = ("en", "zh")
"""The languages of the interface and the content."""

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "app.title": "coach",
        "app.subtitle": "coaching for key account managers",
        # bindings (by binding id)
        "bind.help": "Help",
        "bind.language": "中文",
        "bind.theme": "Light/dark",
        "bind.palette": "Commands",
        "bind.quit": "Quit",
        "bind.back": "Back",
        "bind.home": "Home",
        "bind.open": "Open",
        "bind.walk": "Walk through",
        "bind.search": "Search",
        "bind.next": "Next",
        "bind.previous": "Previous",
        "bind.toggle-done": "Done",
        "bind.save": "Save",
        "bind.export": "Export",
        "bind.summary": "Summary",
        "bind.refresh": "Refresh",
        # palette
        "cmd.placeholder": "Search screens, actions and playbook entries…",
        "cmd.goto": "Go to: {title}",
        "cmd.language": "Switch language to Chinese (切换到中文)",
        "cmd.language.help": "All interface text and playbook content; remembered next time",
        "cmd.theme": "Toggle light/dark theme",
        "cmd.theme.help": "Remembered next time",
        "cmd.themes": "Choose a theme…",
        "cmd.themes.help": "Pick any installed colour theme",
        "cmd.help": "Help",
        "cmd.help.help": "Keys, screens and how matching works",
        "cmd.home": "Home",
        "cmd.home.help": "Back to the start screen",
        "cmd.keys": "Show keys",
        "cmd.keys.help": "Keys of the focused widget and the screen",
        "cmd.quit": "Quit",
        "cmd.quit.help": "Leave coach",
        "cmd.screen-action": "This screen: {title}",
        "cmd.open-entry": "Open: {title}",
        "cmd.walk-entry": "Walk through: {title}",
        "cmd.entry.help": "{category}",
        # categories and departments
        "cat.difficult": "Difficult customers",
        "cat.complaint": "Complaints",
        "cat.tactic": "Buyer tactics",
        "cat.principle": "The eight principles",
        "cat.trade": "Everyday trade fights",
        "cat.ethics": "Ethics",
        "cat.account": "Key accounts over the year",
        "cat1.difficult": "difficult customer",
        "cat1.complaint": "complaint",
        "cat1.tactic": "buyer tactic",
        "cat1.principle": "principle",
        "cat1.trade": "trade terms",
        "cat1.ethics": "ethics",
        "cat1.account": "key-account work",
        "dep.finance": "finance",
        "dep.logistics": "logistics/transport",
        "dep.quality": "quality",
        "dep.marketing": "marketing",
        "dep.management": "your manager",
        # common
        "loading": "Loading playbooks…",
        "loaded": "{n} playbook entries loaded.",
        "content.failed": "Playbooks could not be loaded: {error}",
        "content.failed.hint": "Run `coach validate` to see every problem.",
        "content.notice": "Note: {notice}",
        "error.generic": "Something went wrong: {error} (details in {log})",
        "error.save": "Could not save: {error}",
        "error.export": "Could not export: {error}",
        "error.load": "Could not read saved walk-throughs: {error}",
        "error.settings": "Settings file ignored ({error}); defaults in use.",
        "error.unknown-entry": "No playbook entry {id!r}.",
        "need.content": "The playbooks are not loaded yet.",
        # home
        "home.question": "What do you want to do?",
        "home.hint": "Choose with ↑/↓ and Enter, or press the number.",
        # entry view
        "entry.steps": "Steps",
        "entry.say": "What to say",
        "entry.avoid": "Never do this",
        "entry.principles": "Linked principles",
        "entry.departments": "Involve: ",
        "entry.see-also": "See also: ",
        "entry.links": "Linked principles and entries (Enter opens):",
        "entry.principle-link": "Principle: {title}",
        "entry.see-also-link": "See also: {title}",
        "entry.walk-hint": "Press w to walk through this entry step by step.",
        "entry.account-plan": "Open the account plan: Key accounts, choose the account, then p",
        "entry.account-map": "The relationship map: Key accounts, choose the account (p: its plan)",
        # browser
        "browser.title": "Playbooks",
        "browser.search": "Search all entries (English or 中文)…",
        "browser.no-hits": "Nothing matches {query!r}.",
        "browser.hits": "{n} matching entries",
        "browser.pick": "Choose an entry on the left to see it here.",
        # situation coach
        "coach.title": "Situation coach",
        "coach.prompt": "Describe the situation — what did the customer say or do?",
        "coach.empty": (
            "Matches appear here as you type. Tab moves to them; Enter opens one, w walks through it."
        ),
        "coach.abstain": "No playbook fits this — try describing what the customer said or did.",
        "coach.ambiguous": "Too close to call between the first two; read both.",
        "coach.count": "Matches: {n}. Tab to choose; Enter opens one, w walks through it.",
        "coach.score": "score {score:.2f}",
        "coach.why": "why: ",
        "coach.close": "≈ close call",
        # walk-through
        "walk.title": "Walk-through: {title}",
        "walk.kind.step": "Step",
        "walk.kind.say": "What to say",
        "walk.kind.avoid": "Never do this",
        "walk.position": "{n} of {total} · {kind}",
        "walk.done": "Done",
        "walk.notes": "Notes for this step",
        "walk.back": "← Back",
        "walk.next": "Next →",
        "walk.finish": "Summary →",
        "walk.summary": "Summary: {title}",
        "walk.progress": "{done} of {total} ticked",
        "walk.label": "Label (optional), e.g. the class or customer",
        "walk.save": "Save",
        "walk.export": "Export Markdown",
        "walk.saved": "Saved as walk-through #{id}.",
        "walk.unsaved": "Not saved yet.",
        "walk.changed": "Changed since it was saved.",
        "walk.exported": "Exported to {path}",
        "walk.notes-label": "notes: ",
        "leave.question": "Leave this walk-through? Your ticks and notes are not saved.",
        "leave.save": "Save and leave",
        "leave.discard": "Leave without saving",
        "leave.stay": "Stay",
        "quit.question": "Quit coach? A walk-through has ticks or notes that are not saved.",
        "quit.discard": "Quit without saving",
        # saved walk-throughs
        "saved.title": "Saved walk-throughs",
        "saved.empty": "No saved walk-throughs yet. Open a playbook entry and press w to start one.",
        "saved.row": "#{id} {title} · {done}/{total} · {when}",
        "saved.pick": "Choose a saved walk-through to see it here. e exports it as Markdown.",
        # help
        "help.title": "Help",
        "help.intro": (
            "coach finds the playbook for a situation with a customer: what to do in order, what to say, "
            "what never to do, which principle applies and which department to call."
        ),
        "help.screens": "Screens",
        "help.keys": "Keys everywhere",
        "help.tips": "Tips",
        "help.tip1": (
            "Describe what the customer said or did, in English or Chinese; "
            "trade words like listing fee, 进场费 or end-cap count."
        ),
        "help.tip2": (
            "Each match shows its score and why it matched. When the first two are close, read both."
        ),
        "help.tip3": (
            "A walk-through takes one entry step by step, with a tick and notes per step; "
            "save it, or export it as Markdown."
        ),
        "help.tip4": (
            "Ctrl+P opens the command palette: every screen, every action, and every playbook entry by name."
        ),
        "help.key.help": "this help",
        "help.key.language": "switch English / 中文 (remembered)",
        "help.key.theme": "switch light / dark theme (remembered)",
        "help.key.palette": "command palette",
        "help.key.back": "back to the previous screen",
        "help.key.quit": "quit",
        "help.key.tab": "move between fields",
        # themes
        "theme.now": "Theme: {theme}",
        "lang.now": "Language: English",
        "list.sep": ", ",
    },
    "zh": {
        "app.title": "coach",
        "app.subtitle": "大客户经理的教练",
        "bind.help": "帮助",
        "bind.language": "English",
        "bind.theme": "明/暗",
        "bind.palette": "命令",
        "bind.quit": "退出",
        "bind.back": "返回",
        "bind.home": "首页",
        "bind.open": "打开",
        "bind.walk": "逐步演练",
        "bind.search": "搜索",
        "bind.next": "下一步",
        "bind.previous": "上一步",
        "bind.toggle-done": "完成",
        "bind.save": "保存",
        "bind.export": "导出",
        "bind.summary": "小结",
        "bind.refresh": "刷新",
        "cmd.placeholder": "搜索页面、操作和手册条目…",
        "cmd.goto": "前往：{title}",
        "cmd.language": "切换到英文 (Switch to English)",
        "cmd.language.help": "界面文字和手册内容都会切换；下次启动时保留",
        "cmd.theme": "切换明亮/深色主题",
        "cmd.theme.help": "下次启动时保留",
        "cmd.themes": "选择主题…",
        "cmd.themes.help": "从已安装的配色主题中选择",
        "cmd.help": "帮助",
        "cmd.help.help": "按键、各个页面以及匹配的原理",
        "cmd.home": "首页",
        "cmd.home.help": "回到开始页面",
        "cmd.keys": "显示按键",
        "cmd.keys.help": "当前控件和页面可用的按键",
        "cmd.quit": "退出",
        "cmd.quit.help": "离开 coach",
        "cmd.screen-action": "本页：{title}",
        "cmd.open-entry": "打开：{title}",
        "cmd.walk-entry": "逐步演练：{title}",
        "cmd.entry.help": "{category}",
        "cat.difficult": "难缠的客户",
        "cat.complaint": "客户投诉",
        "cat.tactic": "采购的谈判策略",
        "cat.principle": "八大谈判原则",
        "cat.trade": "日常交易条款之争",
        "cat.ethics": "职业操守",
        "cat.account": "重点客户的全年管理",
        "cat1.difficult": "难缠的客户",
        "cat1.complaint": "投诉",
        "cat1.tactic": "采购策略",
        "cat1.principle": "原则",
        "cat1.trade": "交易条款",
        "cat1.ethics": "职业操守",
        "cat1.account": "重点客户管理",
        "dep.finance": "财务部",
        "dep.logistics": "物流/运输部",
        "dep.quality": "质量部",
        "dep.marketing": "市场部",
        "dep.management": "上级主管",
        "loading": "正在载入应对手册…",
        "loaded": "已载入 {n} 条应对手册。",
        "content.failed": "应对手册载入失败：{error}",
        "content.failed.hint": "运行 `coach validate` 查看全部问题。",
        "content.notice": "提示：{notice}",
        "error.generic": "出错了：{error}（详情见 {log}）",
        "error.save": "保存失败：{error}",
        "error.export": "导出失败：{error}",
        "error.load": "读取已保存的演练失败：{error}",
        "error.settings": "设置文件无法使用（{error}），已使用默认设置。",
        "error.unknown-entry": "没有编号为 {id!r} 的手册条目。",
        "need.content": "应对手册还没有载入。",
        "home.question": "你想做什么？",
        "home.hint": "用 ↑/↓ 和回车选择，或直接按数字键。",
        "entry.steps": "步骤",
        "entry.say": "可以这样说",
        "entry.avoid": "千万不要",
        "entry.principles": "相关原则",
        "entry.departments": "需要协同的部门：",
        "entry.see-also": "也可参考：",
        "entry.links": "相关原则和条目（回车打开）：",
        "entry.principle-link": "原则：{title}",
        "entry.see-also-link": "参考：{title}",
        "entry.walk-hint": "按 w 逐步演练这一条。",
        "entry.account-plan": "打开客户计划：进入“重点客户”，选中客户后按 p",
        "entry.account-map": "客情关系图：进入“重点客户”，选中客户即可看到（按 p 打开客户计划）",
        "browser.title": "应对手册",
        "browser.search": "搜索全部条目（中文或英文）…",
        "browser.no-hits": "没有与 {query!r} 相符的条目。",
        "browser.hits": "找到 {n} 条",
        "browser.pick": "在左边选择一个条目，这里会显示内容。",
        "coach.title": "情境教练",
        "coach.prompt": "描述一下情况——客户说了什么、做了什么？",
        "coach.empty": "边输入边显示匹配结果。按 Tab 移到结果；回车打开，按 w 逐步演练。",
        "coach.abstain": "没有适合的应对手册——试着描述客户说了什么、做了什么。",
        "coach.ambiguous": "前两项难分高下，请两项都看一看。",
        "coach.count": "匹配 {n} 条。按 Tab 选择；回车打开，按 w 逐步演练。",
        "coach.score": "得分 {score:.2f}",
        "coach.why": "依据：",
        "coach.close": "≈ 难分高下",
        "walk.title": "逐步演练：{title}",
        "walk.kind.step": "步骤",
        "walk.kind.say": "可以这样说",
        "walk.kind.avoid": "千万不要",
        "walk.position": "第 {n}/{total} 项 · {kind}",
        "walk.done": "已完成",
        "walk.notes": "这一步的笔记",
        "walk.back": "← 上一步",
        "walk.next": "下一步 →",
        "walk.finish": "小结 →",
        "walk.summary": "小结：{title}",
        "walk.progress": "已勾选 {done}/{total}",
        "walk.label": "标签（可选），例如培训班或客户名称",
        "walk.save": "保存",
        "walk.export": "导出 Markdown",
        "walk.saved": "已保存为第 {id} 号演练。",
        "walk.unsaved": "尚未保存。",
        "walk.changed": "保存后又有改动。",
        "walk.exported": "已导出到 {path}",
        "walk.notes-label": "笔记：",
        "leave.question": "离开这次演练？勾选和笔记还没有保存。",
        "leave.save": "保存后离开",
        "leave.discard": "不保存，直接离开",
        "leave.stay": "留下",
        "quit.question": "退出 coach？有一次演练的勾选或笔记还没有保存。",
        "quit.discard": "不保存，直接退出",
        "saved.title": "已保存的演练",
        "saved.empty": "还没有保存的演练。打开一条手册，按 w 开始演练。",
        "saved.row": "#{id} {title} · {done}/{total} · {when}",
        "saved.pick": "选择一次已保存的演练查看内容。按 e 导出为 Markdown。",
        "help.title": "帮助",
        "help.intro": (
            "coach（大客户教练）帮你找到应对客户情境的手册："
            "按什么顺序做、该说什么、千万不要做什么、适用哪条原则、该找哪个部门。"
        ),
        "help.screens": "页面",
        "help.keys": "通用按键",
        "help.tips": "小贴士",
        "help.tip1": "用中文或英文描述客户说了什么、做了什么；进场费、堆头、端架这些行话都能识别。",
        "help.tip2": "每条匹配都会显示得分和依据。前两项分数接近时，两项都要看。",
        "help.tip3": (
            "逐步演练会一步一步带你过一条手册，每一步可以勾选、记笔记；可以保存，也可以导出为 Markdown。"
        ),
        "help.tip4": "Ctrl+P 打开命令面板：所有页面、所有操作，以及按名称打开任意手册条目。",
        "help.key.help": "本帮助",
        "help.key.language": "切换 English / 中文（下次保留）",
        "help.key.theme": "切换明亮/深色主题（下次保留）",
        "help.key.palette": "命令面板",
        "help.key.back": "回到上一页",
        "help.key.quit": "退出",
        "help.key.tab": "在各栏之间移动",
        "theme.now": "主题：{theme}",
        "lang.now": "语言：中文",
        "list.sep": "、",
    },
}


def add_strings(strings: Mapping[str, Mapping[str, str]]) -> None:
    """Add interface text for a new screen: ``{"en": {...}, "zh": {...}}`` with the same keys."""
    if set(strings.get("en", {})) != set(strings.get("zh", {})):
        raise ValueError("add_strings: English and Chinese keys differ")
    for lang in LANGS:
        STRINGS[lang].update(strings.get(lang, {}))


def tr(lang: str, key: str, **values: object) -> str:
    """The text for ``key`` in ``lang``, with ``values`` filled in."""
    text = STRINGS[lang if lang in STRINGS else "en"][key]
    return text.format(**values) if values else text


def system_lang(env: Mapping[str, str] | None = None) -> str:
    """``zh`` when the locale (``COACH_LANG``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``...) is Chinese."""
    env = os.environ if env is None else env
    for var in ("COACH_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = env.get(var, "").strip()
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    try:
        name = locale.getlocale()[0] or ""
    except ValueError:  # pragma: no cover - malformed locale
        name = ""
    return "zh" if name.lower().startswith("zh") else "en"


_WHY_ZH: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r'^keyword "(?P<a>.*)" \+(?P<b>[\d.]+)$', re.S), "关键词「{a}」+{b}"),
    (re.compile(r"^pattern /(?P<a>.*)/ \+(?P<b>[\d.]+)$", re.S), "模式 /{a}/ +{b}"),
    (re.compile(r'^close to phrase "(?P<a>.*)" \((?P<b>[\d.]+)\)$', re.S), "接近描述「{a}」（{b}）"),
    (re.compile(r"^similarity to the whole entry (?P<a>[\d.]+)$"), "与整条内容的相似度 {a}"),
    (re.compile(r"^shared words: (?P<a>.*)$", re.S), "共同的词：{a}"),
    (re.compile(r"^ahead of (?P<a>\S+) by (?P<b>[\d.]+)$"), "领先 {a} {b}"),
    (re.compile(r'^read "(?P<a>.*)" as "(?P<b>.*)"$', re.S), "把「{a}」理解为「{b}」"),
    (re.compile(r'^"(?P<a>.*)" = (?P<b>[\w-]+)$', re.S), "「{a}」= {b}"),
    (
        re.compile(r"^no rule reached (?P<a>[\d.]+)(?: \(best: (?P<b>\S+) (?P<c>[\d.]+)\))?$"),
        "没有条目达到 {a}",
    ),
]


def reason(line: str, lang: str) -> str:
    """An engine reason or note in ``lang`` (the engine writes English; unknown shapes are kept)."""
    if lang != "zh":
        return line
    for pattern, template in _WHY_ZH:
        m = pattern.match(line)
        if m:
            return template.format(**{k: (v or "") for k, v in m.groupdict().items()})
    return line
