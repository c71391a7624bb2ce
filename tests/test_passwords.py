"""The one password hashing module: scrypt strings, legacy users.json records, rehash detection."""

from assistant.accounts import passwords as pw


def test_hash_and_verify():
    stored = pw.hash_password("正确的密码123")
    assert stored.startswith("scrypt$32768$8$1$")  # stronger than the 2**14 users.json used
    assert pw.verify_password("正确的密码123", stored)
    assert not pw.verify_password("错误的密码123", stored)
    assert stored != pw.hash_password("正确的密码123")  # per-user salt
    assert not pw.verify_password("x", None) and not pw.verify_password("x", "garbage")


def test_users_json_records_keep_their_passwords():
    import base64
    import secrets

    salt = secrets.token_bytes(16)
    digest = pw._scrypt("旧密码abcdef", salt, 2 ** 10, 8, 1)  # weaker parameters than today's
    rec = {"role": "学员", "salt": base64.b64encode(salt).decode(), "hash": base64.b64encode(digest).decode(),
           "n": 2 ** 10, "r": 8, "p": 1}
    stored = pw.from_users_json(rec)
    assert pw.verify_password("旧密码abcdef", stored) and not pw.verify_password("别的", stored)
    assert pw.needs_rehash(stored) and not pw.needs_rehash(pw.hash_password("x"))


def test_common_passwords_are_refused():
    assert pw.is_common_password("Password123") and pw.is_common_password("woaini1314")
    assert pw.is_common_password("zhangsan88", username="ZhangSan88")
    assert not pw.is_common_password("河道-管理-2026-春")
