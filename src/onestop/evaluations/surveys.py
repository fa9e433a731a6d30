"""The shipped questionnaires, as data (HM Appendix A; GB/T 39734 好差评).

The wording is the standards' own (Chinese): it is content, not UI text.
Each scale step carries the 5..1 score used for the institution's rating.
"""

from __future__ import annotations

from typing import Any

HM_CODE = "hm-a"
FIVE_LEVEL_CODE = "gbt39734-5"

HM_SCALE: list[dict[str, Any]] = [
    {"value": "very_satisfied", "label": "非常满意", "score": 5, "bad": False},
    {"value": "satisfied", "label": "满意", "score": 4, "bad": False},
    {"value": "average", "label": "一般", "score": 3, "bad": False},
    {"value": "dissatisfied", "label": "不满意", "score": 2, "bad": True},
]

FIVE_SCALE: list[dict[str, Any]] = [
    {"value": "very_satisfied", "label": "非常满意", "score": 5, "bad": False},
    {"value": "satisfied", "label": "满意", "score": 4, "bad": False},
    {"value": "basically_satisfied", "label": "基本满意", "score": 3, "bad": False},
    {"value": "dissatisfied", "label": "不满意", "score": 2, "bad": True},
    {"value": "very_dissatisfied", "label": "非常不满意", "score": 1, "bad": True},
]

YES_NO: list[dict[str, Any]] = [
    {"value": "yes", "label": "是", "bad": False},
    {"value": "no", "label": "否", "bad": True},
]


# The dimensions results are reported in (WX 8.1.1: flow, efficiency,
# attitude), plus professionalism, the overall rating and "solved".
DIMENSIONS: dict[str, str] = {
    "flow": "办事流程",
    "efficiency": "服务效率",
    "professionalism": "专业水平",
    "attitude": "服务态度",
    "overall": "总体评价",
    "solved": "问题解决",
}

# Questions of forms shipped before questions carried their dimension.
_DIMENSION_BY_NUMBER = {"1": "efficiency", "2": "professionalism", "3": "attitude", "4": "overall"}


def question_dimension(question: dict[str, Any]) -> str:
    """The dimension of one question of a questionnaire definition."""
    if "dimension" in question:
        return str(question["dimension"])
    if question["type"] == "yes_no":
        return "solved"
    return _DIMENSION_BY_NUMBER.get(str(question["key"]).rsplit("_", 1)[-1], "overall")


def _scale(key: str, text: str) -> dict[str, str]:
    return {"key": key, "text": text, "type": "scale"}


def _solved(key: str) -> dict[str, str]:
    return {"key": key, "text": "您的问题是否得到了解决", "type": "yes_no"}


HM_FORM: dict[str, Any] = {
    "code": HM_CODE,
    "version": 1,
    "title": "服务质量满意度评价表",
    "source": "哈密 HM 附录A 表A.1",
    "anonymous_to_provider": True,
    "definition": {
        "scale": HM_SCALE,
        "yes_no": YES_NO,
        "parts": [
            {
                "key": "center",
                "subject": "center",
                "title": "评价内容（服务中心自主实施服务）",
                "questions": [
                    _scale("center_1", "您对服务中心本次服务反馈及时性的满意度"),
                    _scale("center_2", "您对服务中心本次服务的专业性的满意度"),
                    _scale("center_3", "您对服务中心本次服务的文明性的满意度"),
                    _scale("center_4", "您对服务中心本次服务的总体评价"),
                    _solved("center_5"),
                ],
            },
            {
                "key": "institution",
                "subject": "institution",
                "title": "评价内容（质量服务机构提供服务）",
                "questions": [
                    _scale("institution_1", "您对质量服务机构本次服务及时性的满意度"),
                    _scale("institution_2", "您对质量服务机构本次服务专业性的满意度"),
                    _scale("institution_3", "您对质量服务机构本次服务文明性的满意度"),
                    _scale("institution_4", "您对质量服务机构本次服务的总体评价"),
                    _solved("institution_5"),
                ],
            },
        ],
        "comment": {"label": "您的意见或建议：", "max_length": 2000},
        "signature": {
            "enterprise_name": "企业名称：",
            "signer": "企业负责人（签字或盖章）：",
            "date": "年    月     日",
        },
    },
}

FIVE_LEVEL_FORM: dict[str, Any] = {
    "code": FIVE_LEVEL_CODE,
    "version": 1,
    "title": "服务好差评",
    "source": "GB/T 39734 五级评价",
    "anonymous_to_provider": False,
    "definition": {
        "scale": FIVE_SCALE,
        "yes_no": YES_NO,
        "parts": [
            {
                "key": "institution",
                "subject": "institution",
                "title": "对质量服务机构本次服务的评价",
                "questions": [
                    _scale("institution_1", "服务及时性"),
                    _scale("institution_2", "服务专业性"),
                    _scale("institution_3", "服务态度"),
                    _scale("institution_4", "总体评价"),
                    _solved("institution_5"),
                ],
            },
        ],
        "comment": {"label": "您的意见或建议：", "max_length": 2000},
        "signature": {},
    },
}


def _tagged(key: str, text: str, dimension: str) -> dict[str, str]:
    return {**_scale(key, text), "dimension": dimension}


# Version 2 asks about the flow too (WX 8.1.1: flow, efficiency, attitude);
# every question names its dimension.
FIVE_LEVEL_FORM_V2: dict[str, Any] = {
    **FIVE_LEVEL_FORM,
    "version": 2,
    "definition": {
        **FIVE_LEVEL_FORM["definition"],
        "parts": [
            {
                "key": "institution",
                "subject": "institution",
                "title": "对质量服务机构本次服务的评价",
                "questions": [
                    _tagged("institution_flow", "办事流程便捷性", "flow"),
                    _tagged("institution_1", "服务及时性", "efficiency"),
                    _tagged("institution_2", "服务专业性", "professionalism"),
                    _tagged("institution_3", "服务态度", "attitude"),
                    _tagged("institution_4", "总体评价", "overall"),
                    {**_solved("institution_5"), "dimension": "solved"},
                ],
            },
        ],
    },
}

# A consultation answered by the service center, on the five-level scale.
CONSULTATION_CODE = "gbt39734-5-center"
CONSULTATION_FORM: dict[str, Any] = {
    "code": CONSULTATION_CODE,
    "version": 1,
    "title": "咨询服务好差评",
    "source": "GB/T 39734 五级评价",
    "anonymous_to_provider": False,
    "definition": {
        "scale": FIVE_SCALE,
        "yes_no": YES_NO,
        "parts": [
            {
                "key": "center",
                "subject": "center",
                "title": "对服务中心本次咨询服务的评价",
                "questions": [
                    _tagged("center_flow", "办事流程便捷性", "flow"),
                    _tagged("center_1", "答复及时性", "efficiency"),
                    _tagged("center_2", "答复专业性", "professionalism"),
                    _tagged("center_3", "服务态度", "attitude"),
                    _tagged("center_4", "总体评价", "overall"),
                    {**_solved("center_5"), "dimension": "solved"},
                ],
            },
        ],
        "comment": {"label": "您的意见或建议：", "max_length": 2000},
        "signature": {},
    },
}

SHIPPED_FORMS = [HM_FORM, FIVE_LEVEL_FORM, FIVE_LEVEL_FORM_V2, CONSULTATION_FORM]
