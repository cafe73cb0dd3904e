"""Interaction callback and interaction-webhook routes (``@original`` and follow-ups).

Discord's rules that bots trip over are enforced: one callback per interaction (400 40060),
within 3 seconds (404 10062), follow-ups only after acknowledging, and ``?with_response=1``
answers carry the resulting message so discord.py can bind a view to its message id.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from discord_sandbox import events, payloads, payloads_message
from discord_sandbox.context import Context
from discord_sandbox.errors import (
    already_acknowledged,
    invalid_form,
    unknown_interaction,
    unknown_message,
    unknown_webhook,
)
from discord_sandbox.interactions import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    Callback,
    InteractionRecord,
)
from discord_sandbox.messages import UploadedFile, apply_edit, new_message, validate
from discord_sandbox.model import Message
from discord_sandbox.web import body, ctx, files, json_response, no_content, snowflake

routes = web.RouteTableDef()
WEBHOOK = "/webhooks/{application_id}/{token}"
_ALLOWED = {
    APPLICATION_COMMAND: {4, 5, 9},
    MESSAGE_COMPONENT: {4, 5, 6, 7, 9},
    MODAL_SUBMIT: {4, 5, 6, 7},
    AUTOCOMPLETE: {8},
}
_FOLLOWUP_LIFETIME = 15 * 60


@routes.post("/interactions/{interaction_id}/{token}/callback")
async def callback(request: web.Request) -> web.Response:
    """Accept the bot's one response to an interaction."""
    context = ctx(request)
    record = context.interactions.for_callback(
        snowflake(request, "interaction_id"), request.match_info["token"]
    )
    if record.callback is not None:
        raise already_acknowledged()
    if record.age > context.ack_timeout:
        raise unknown_interaction()
    data_in = body(request)
    kind = int(data_in.get("type") or 0)
    if kind not in _ALLOWED.get(record.type, set()):
        raise invalid_form(
            "type", "INTERACTION_RESPONSE_TYPE_INVALID", "Interaction response type is invalid"
        )
    data: dict[str, Any] = data_in.get("data") or {}
    uploads = files(request)
    message = _respond(context, record, kind, data, uploads)
    record.callback = Callback(kind, data, uploads, message)
    record.changes.notify()
    context.world.changes.notify()
    interaction: dict[str, Any] = {"id": str(record.id), "type": record.type}
    resource: dict[str, Any] = {"type": kind}
    if message is not None:
        interaction |= {
            "response_message_id": str(message.id),
            "response_message_loading": message.loading,
            "response_message_ephemeral": message.ephemeral,
        }
        resource["message"] = payloads_message.message(context.world, message)
    return json_response({"interaction": interaction, "resource": resource})


def _respond(
    context: Context,
    record: InteractionRecord,
    kind: int,
    data: dict[str, Any],
    uploads: list[UploadedFile],
) -> Message | None:
    world = context.world
    if kind in (4, 7):
        validate(data, uploads, creating=kind == 4)
    if kind == 8 and len(data.get("choices") or []) > 25:
        raise invalid_form("data.choices", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
    if kind in (4, 5):
        body_in = data if kind == 4 else {"flags": int(data.get("flags") or 0) & 64}
        message = _interaction_message(context, record, body_in, uploads)
        if kind == 5:
            message.flags |= 128
        record.original = message
        _store(context, message)
        return message
    if kind in (6, 7):
        source = record.source_message
        if source is None:
            raise invalid_form(
                "type", "INTERACTION_RESPONSE_TYPE_INVALID", "Interaction has no message to update"
            )
        record.original = source
        if kind == 7:
            apply_edit(world, source, data, uploads)
            events.message_updated(world, source)
            return source
    return None


def _interaction_message(
    context: Context, record: InteractionRecord, data: dict[str, Any], uploads: list[UploadedFile]
) -> Message:
    world = context.world
    message = new_message(world, record.channel_id, record.guild_id, world.bot_user, data, uploads)
    message.webhook_id = world.application_id
    message.application_id = world.application_id
    message.type = 20 if record.type == APPLICATION_COMMAND and not record.original else 0
    message.interaction_metadata = {
        "id": str(record.id),
        "type": record.type,
        "user": payloads.user(record.user),
        "authorizing_integration_owners": record.payload["authorizing_integration_owners"],
    }
    return message


def _store(context: Context, message: Message) -> None:
    world = context.world
    channel = world.channels[message.channel_id]
    if message.ephemeral:
        world.messages[message.id] = message
        world.changes.notify()
    else:
        world.store_message(channel, message)
    events.message_created(world, message)


def _record(request: web.Request) -> tuple[Context, InteractionRecord]:
    context = ctx(request)
    record = context.interactions.for_webhook(
        snowflake(request, "application_id"), request.match_info["token"]
    )
    if record.callback is None or record.age > _FOLLOWUP_LIFETIME:
        raise unknown_webhook()
    return context, record


def _target(record: InteractionRecord, message_id: str) -> Message:
    if message_id == "@original":
        message = record.original
    else:
        message = next((m for m in record.followups if str(m.id) == message_id), None)
        if (
            message is None
            and record.original is not None
            and str(record.original.id) == message_id
        ):
            message = record.original
    if message is None or message.deleted:
        raise unknown_message()
    return message


@routes.post(WEBHOOK)
async def followup(request: web.Request) -> web.Response:
    """Post a follow-up; the first one after a "thinking" defer completes that message."""
    context, record = _record(request)
    data, uploads = body(request), files(request)
    validate(data, uploads, creating=True)
    original = record.original
    if original is not None and original.loading and not record.followups:
        apply_edit(context.world, original, data, uploads)
        original.flags &= ~128
        message = original
        events.message_updated(context.world, message)
    else:
        message = _interaction_message(context, record, data, uploads)
        _store(context, message)
    record.followups.append(message)
    record.changes.notify()
    if request.query.get("wait") in ("1", "true", "True"):
        return json_response(payloads_message.message(context.world, message))
    return no_content()


@routes.get(WEBHOOK + "/messages/{message_id}")
async def get_webhook_message(request: web.Request) -> web.Response:
    """``@original`` or a follow-up."""
    context, record = _record(request)
    return json_response(
        payloads_message.message(context.world, _target(record, request.match_info["message_id"]))
    )


@routes.patch(WEBHOOK + "/messages/{message_id}")
async def edit_webhook_message(request: web.Request) -> web.Response:
    """Edit ``@original`` (completing a deferred response) or a follow-up."""
    context, record = _record(request)
    message_id = request.match_info["message_id"]
    message = _target(record, message_id)
    data, uploads = body(request), files(request)
    validate(data, uploads, creating=False)
    apply_edit(context.world, message, data, uploads)
    message.flags &= ~128
    if message_id == "@original" or message is record.original:
        record.original_edits.append(data)
    record.changes.notify()
    events.message_updated(context.world, message)
    return json_response(payloads_message.message(context.world, message))


@routes.delete(WEBHOOK + "/messages/{message_id}")
async def delete_webhook_message(request: web.Request) -> web.Response:
    """Delete ``@original`` or a follow-up."""
    context, record = _record(request)
    message = _target(record, request.match_info["message_id"])
    message.deleted = True
    record.changes.notify()
    context.world.changes.notify()
    events.message_deleted(context.world, message)
    return no_content()
