"""The design note's examples, run through the client: only the import and construction lines are ours.

    STORESYNC_URL=http://localhost:3000 STORESYNC_TOKEN=... python3 clients/python/examples/design_note.py [user_id]
"""

import asyncio
import os
import sys

from storesync import StoreSync, SyncEventType

base_url = os.environ.get("STORESYNC_URL", "http://localhost:3000")
token = os.environ["STORESYNC_TOKEN"]
user_id = sys.argv[1] if len(sys.argv) > 1 else "user123"

sync_service = StoreSync(base_url, token)


def report_examples() -> None:
    # One user's report, then everyone's.
    report = sync_service.get_sync_report(user_id)
    print(f"{user_id}: {report['summary']['total_files']} files, status {report['status']}, {len(report['issues'])} open issues")
    for issue in report["issues"]:
        print(f"  {issue['type']:<18} {issue.get('file_key') or issue.get('file_id')}  -> {issue['suggested_action']}")
    everyone = sync_service.get_sync_report()
    print(f"all users: {everyone['summary']['total_files']} files, {len(everyone['issues'])} open issues")

    # What a repair would do (a dry run: nothing changes until apply=True).
    plan = sync_service.fix(user_id=user_id)
    print(f"repair plan {plan['plan_id'][:8]}: {plan['summary']['planned']} planned, {plan['summary']['skipped']} skipped (dry run: {plan['dry_run']})")


async def realtime_examples() -> None:
    realtime_sync = sync_service.realtime
    seen = asyncio.Event()

    async def on_file_uploaded(event):
        print(f"event {event.event_type.value}: user {event.user_id}, file {event.file_id} ({event.data.get('file_name')}), seq {event.seq}")
        if event.user_id == user_id:
            seen.set()

    realtime_sync.register_event_handler(SyncEventType.FILE_UPLOADED, on_file_uploaded)
    await realtime_sync.handle_file_upload(user_id=user_id, file_id="doc-42", file_key=f"{user_id}/doc-42/quarterly.pdf", file_name="quarterly.pdf")
    await asyncio.wait_for(seen.wait(), 10)
    await realtime_sync.disconnect()


if __name__ == "__main__":
    report_examples()
    asyncio.run(realtime_examples())
    sync_service.close()
