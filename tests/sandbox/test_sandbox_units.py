"""Pieces of the sandbox on their own: ids, permission math, compression, payloads, redirect."""

from __future__ import annotations

import datetime as dt
import json
import time
import zlib

import discord
import discord.utils
import pytest
import yarl

from discord_sandbox import Sandbox, SandboxError, point_discord_at
from discord_sandbox.compression import ZlibStream, compressor_for
from discord_sandbox.ids import SnowflakeFactory, snowflake_time
from discord_sandbox.payloads import guild_create

Perms = discord.Permissions


def test_snowflakes_are_unique_ordered_and_carry_time() -> None:
    factory = SnowflakeFactory()
    ids = [factory.next() for _ in range(5000)]
    assert ids == sorted(set(ids))
    assert abs(snowflake_time(ids[0]) - dt.datetime.now(dt.UTC)) < dt.timedelta(seconds=5)
    assert discord.utils.snowflake_time(ids[0]) == snowflake_time(ids[0])


def test_permission_math_follows_discord() -> None:
    sb = Sandbox()
    guild = sb.create_guild("G")
    channel = guild.create_text_channel("c")
    admin = guild.add_member("root", permissions=Perms(administrator=True).value)
    helper = guild.create_role("helper", permissions=Perms(manage_messages=True).value)
    member = guild.add_member("m", roles=[helper])
    everyone_send = Perms(send_messages=True).value
    assert guild.permissions_for(member, channel) & everyone_send
    sb.revoke_permission(guild, channel, "send_messages")  # bot-only overwrite
    assert guild.permissions_for(member, channel) & everyone_send
    assert not guild.permissions_for(guild.bot_member, channel) & everyone_send
    assert guild.permissions_for(admin, channel) == Perms.all().value
    sb.revoke_permission(guild, channel, "view_channel")
    assert guild.permissions_for(guild.bot_member, channel) == 0
    with pytest.raises(SandboxError, match="unknown permission"):
        sb.revoke_permission(guild, channel, "send_message")


def test_zlib_stream_is_one_stream_with_sync_flushes() -> None:
    stream = ZlibStream()
    inflate = zlib.decompressobj()  # what discord.py's zlib-stream context does
    for n in range(3):
        chunk = stream.compress(json.dumps({"op": 0, "s": n}).encode())
        assert chunk.endswith(b"\x00\x00\xff\xff")
        assert json.loads(inflate.decompress(chunk)) == {"op": 0, "s": n}
    assert compressor_for(None) is None


def test_zstd_stream_when_zstandard_is_installed() -> None:
    zstandard = pytest.importorskip("zstandard")
    stream = compressor_for("zstd-stream")
    assert stream is not None
    inflate = zstandard.ZstdDecompressor().decompressobj()
    for n in range(3):
        chunk = stream.compress(json.dumps({"s": n}).encode())
        assert json.loads(inflate.decompress(chunk)) == {"s": n}


def test_bulk_guilds_are_cheap_and_guild_create_lists_only_the_bot() -> None:
    sb = Sandbox()
    started = time.monotonic()
    for n in range(200):
        guild = sb.create_guild(f"G{n}")
        guild.create_text_channel("general")
        guild.add_members(50)
    assert time.monotonic() - started < 2
    data = guild_create(sb.world, sb.guilds[0])
    assert data["member_count"] == 52  # 50 + owner + bot
    assert [m["user"]["id"] for m in data["members"]] == [str(sb.bot_user.id)]
    assert guild_create(sb.world, sb.create_guild("big", member_count=5000))["member_count"] == 5000


async def test_redirect_sets_and_restores_discord_urls() -> None:
    before = (
        discord.http.Route.BASE,
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY,
        discord.asset.Asset.BASE,
    )
    async with Sandbox() as sb:
        with point_discord_at(sb):
            assert sb.api_base == discord.http.Route.BASE
            assert yarl.URL(sb.gateway_url) == discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
            assert sb.base_url == discord.asset.Asset.BASE
    after = (
        discord.http.Route.BASE,
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY,
        discord.asset.Asset.BASE,
    )
    assert after == before
    with pytest.raises(SandboxError, match="start the sandbox"), point_discord_at(Sandbox()):
        pass


async def test_invoking_before_the_bot_connects_is_an_error() -> None:
    async with Sandbox() as sb:
        member = sb.create_guild("G").add_member("a")
        with pytest.raises(SandboxError, match="not connected"):
            await sb.invoke(member, "ping")
