"""A register with a supervisor, a clerk and a project under the Tahe policy, made through the library (fast)."""
from __future__ import annotations

from pathlib import Path

from calculator.register.db import transaction
from calculator.register.projects import create_project
from calculator.register.users import add_user

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_XLSX = ROOT / "sample_data" / "tahe_survey_1200.xlsx"
MESSY_XLSX = ROOT / "sample_data" / "tahe_survey_messy.xlsx"
HEADER = "户号,户主姓名,身份证号,原房屋建筑面积（㎡）,安置方式,选择户型（㎡）,是否低保户,申请缓交,评估单价（元/㎡）,入住日期"


def staffed(engine, policy: str = "tahe", code: str = "P1") -> None:
    """Users boss (supervisor), ann (clerk), audrey (auditor) and project P1 under `policy`."""
    with transaction(engine) as session:
        add_user(session, name="boss", role="supervisor", by="boss")
        add_user(session, name="ann", role="clerk", by="boss")
        add_user(session, name="audrey", role="auditor", by="boss")
        create_project(session, code=code, name="塔河一期", policy=policy, by="boss")


def survey_csv(path: Path, rows: list[str], header: str = HEADER) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


# Five households: in-kind, in-kind low-income deferring, cash, in-kind, in-kind.
FIVE = [
    "H1,王一,,45.30,回迁,48,否,否,,2025-11-15",
    "H2,李二,,30.00,回迁,40,是,是,,2025-11-15",
    "H3,张三,,52.00,货币补偿,,否,否,6000,",
    "H4,赵四,,61.20,回迁,68,否,否,,2025-11-15",
    "H5,钱五,,38.00,回迁,40,否,否,,2025-11-15",
]
