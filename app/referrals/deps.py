"""FastAPI dependencies for the referral routers: the contract and the callers by role."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from app.deps import SettingsDep, require
from app.referrals.contract import Contract, load_contract
from app.security import Principal, Role


def get_contract(settings: SettingsDep) -> Contract:
    return load_contract(settings.council_file)


ContractDep = Annotated[Contract, Depends(get_contract)]
Referrer = Annotated[Principal, Depends(require(Role.discharge_system, Role.brokerage))]
Broker = Annotated[Principal, Depends(require(Role.brokerage))]
Commissioner = Annotated[Principal, Depends(require(Role.commissioner))]
BrokerOrCommissioner = Annotated[Principal, Depends(require(Role.brokerage, Role.commissioner))]
