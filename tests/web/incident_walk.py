"""Walk an incident through the six steps with the console's forms, as an officer would."""

from __future__ import annotations

from fastapi.testclient import TestClient

STEP_FORMS: dict[int, list[tuple[str, dict[str, str]]]] = {
    2: [
        ("team", {"role": "責任者", "person": "山田", "contact": "privacy@example.com"}),
        ("first-aid", {"action": "recall_message", "done_by": "佐藤", "note": "削除を依頼"}),
    ],
    3: [
        *[
            ("finding", {"question": q, "answer": f"{q} の調査結果"})
            for q in ("when", "where", "who", "what", "why", "how")
        ],
        ("timeline", {"occurred_at": "2026-11-20T09:30", "text": "誤送信"}),
        ("secondary-damage", {"text": "二次被害は確認されていない"}),
    ],
    4: [("task", {"audience": "partners", "description": "提供先への連絡"})],
    5: [
        ("contain", {"measure": "受信者による削除を確認"}),
        ("help-desk", {"contact": "0120-000-000", "hours": "平日 9-18時"}),
        ("recovered", {"note": "削除を確認"}),
    ],
    6: [
        ("after-action", {"field": f, "text": f"{f} の内容"})
        for f in ("root_cause", "recurrence_done", "recurrence_planned", "apology", "compensation", "lessons")
    ],
}


def post(client: TestClient, url: str, token: str, data: dict[str, str] | None = None) -> int:
    """Post a form with the CSRF token; return the status (redirects not followed)."""
    return client.post(url, data={"csrf": token, **(data or {})}, follow_redirects=False).status_code


def finish_tasks(client: TestClient, base: str, token: str, pending: list[str]) -> None:
    """Record each pending notification task as done."""
    for audience in pending:
        assert post(client, f"{base}/task-done", token, {"audience": audience, "reference": "R-1"}) == 303


def fill(client: TestClient, base: str, token: str, step: int) -> None:
    """Fill the forms a step needs (step 4 and 6 also finish the open tasks)."""
    for action, data in STEP_FORMS.get(step, []):
        assert post(client, f"{base}/{action}", token, data) == 303, (action, data)
