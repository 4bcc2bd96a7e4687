"""Re-screening everyone after a list update: customers, merchants and beneficial owners."""

from __future__ import annotations

from collections.abc import AsyncIterator

from ompay.domain.screening_verdicts import CandidateIndex, Verdict, judge
from ompay.lib.queue import JobDispatcher
from ompay.models import ScreeningTrigger
from ompay.repositories.audit import AuditEventRepository
from ompay.repositories.screening import ScreeningListRepository, ScreeningSubjectRepository
from ompay.services.compliance.screening import SYSTEM, ScreeningService, ScreeningSubject, lists_fingerprint
from ompay.services.unit_of_work import UnitOfWork

RESCREENED = "screening.rescreened"
RESCREEN_JOB = "rescreen_everyone"
QUEUE = "compliance"


class RescreeningService:
    def __init__(
        self, uow: UnitOfWork, screening: ScreeningService, dispatcher: JobDispatcher, batch: int
    ) -> None:
        self.uow = uow
        self.screening = screening
        self.dispatcher = dispatcher
        self.batch = batch
        self.lists = ScreeningListRepository(session=uow.session)
        self.subjects = ScreeningSubjectRepository(uow.session)
        self.audits = AuditEventRepository(session=uow.session)

    async def schedule(self) -> None:
        """One run per set of list versions in force: imports in quick succession share it."""
        versions = await self.lists.in_force()
        key = f"rescreen:{lists_fingerprint(versions)}"
        await self.dispatcher.enqueue(QUEUE, RESCREEN_JOB, key=key)

    async def run(self) -> int:
        """Everyone against the lists in force, matched in memory against one index of their
        entries, each query logged like any other; a page per transaction, so a long run keeps
        what it has done. Returns how many subjects were screened.

        A run that finds the versions in force already done (the audit trail says so) does
        nothing: a retried job, or a later import's schedule that came after this run.
        """
        versions = await self.lists.in_force()
        done_for = lists_fingerprint(versions)
        if not versions or await self.audits.recorded(RESCREENED, done_for):
            return 0
        index = CandidateIndex(await self.lists.entries([version.id for version in versions]))
        screened = 0
        async for page in self._pages():
            judged = [(subject, self._judge(index, subject)) for subject in page]
            await self.screening.record_page(judged, ScreeningTrigger.LIST_UPDATE, versions)
            await self.uow.commit()
            screened += len(page)
        self.uow.audit.record(
            RESCREENED, SYSTEM, target_type="screening_lists", target_id=done_for, changes={"count": screened}
        )
        await self.uow.commit()
        return screened

    def _judge(self, index: CandidateIndex, subject: ScreeningSubject) -> Verdict:
        matchable = subject.matchable()
        return judge(matchable, index.candidates(matchable), self.screening.threshold)

    async def _pages(self) -> AsyncIterator[list[ScreeningSubject]]:
        after = None
        while customers := await self.subjects.customers(after, self.batch):
            yield [ScreeningSubject.of_customer(user) for user in customers]
            after = customers[-1].id
        merchants = await self.subjects.merchants()
        yield [ScreeningSubject.of_merchant(merchant, person) for merchant, person in merchants]
        yield [ScreeningSubject.of_owner(owner, person) for owner, person in await self.subjects.owners()]
