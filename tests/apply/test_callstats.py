from __future__ import annotations

import threading

from smartlead_sync.apply.callstats import CampaignCallStats, snapshot, to_report
from smartlead_sync.smartlead.provider import SmartleadProvider


def test_calls_are_split_by_the_campaign_of_the_calling_thread(
    provider: SmartleadProvider,
) -> None:
    stats = CampaignCallStats()
    provider.client.stats = stats
    before = snapshot(stats)

    def work(name: str, calls: int) -> None:
        with stats.campaign(name):
            for _ in range(calls):
                provider.list_campaigns()

    threads = [threading.Thread(target=work, args=(n, c)) for n, c in (("A", 3), ("B", 2))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    provider.list_campaigns()  # outside any campaign: totals only

    assert stats.for_campaign("A").calls == {"global": 3}
    assert stats.for_campaign("B").calls == {"global": 2}
    assert stats.for_campaign("C").total == 0
    assert to_report(stats, before).calls == {"global": 6}
