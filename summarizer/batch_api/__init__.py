"""Batches at a provider: OpenAI's Batch API, or request files for `vllm run-batch`.

Half the price of live requests and no rate limits to manage, at the cost of waiting
(up to 24 hours). Answers are validated and grounded exactly as live ones (the same
pipeline runs over them), and answers that fail are re-asked in a follow-up batch.
"""

from summarizer.batch_api.job import BatchFile, BatchJob
from summarizer.batch_api.lines import MAX_FILE_BYTES, MAX_FILE_REQUESTS
from summarizer.batch_api.report import BatchReport
from summarizer.batch_api.runner import (
    FOCUSED_LIVE_ONLY,
    abatch_status,
    acancel_batch,
    acollect_batch,
    asubmit_batch,
    batch_settings,
)
from summarizer.blocking import blocking

__all__ = [
    "FOCUSED_LIVE_ONLY",
    "MAX_FILE_BYTES",
    "MAX_FILE_REQUESTS",
    "BatchFile",
    "BatchJob",
    "BatchReport",
    "abatch_status",
    "acancel_batch",
    "acollect_batch",
    "asubmit_batch",
    "batch_settings",
    "batch_status",
    "cancel_batch",
    "collect_batch",
    "submit_batch",
]

# As blocking calls; the `a...` originals are for code already inside an event loop.
submit_batch = blocking(asubmit_batch)
collect_batch = blocking(acollect_batch)
batch_status = blocking(abatch_status)
cancel_batch = blocking(acancel_batch)
