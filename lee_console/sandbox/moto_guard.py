"""Check, before the sandbox starts, that every moto internal it relies on is still there.

The sandbox subclasses moto's DynamoDB backend, Table and Backup, replaces three response
handlers, builds Items without their constructors and seeds other services' backends. A moto
release may move any of these; this guard turns that into one clear sentence instead of a
500 at request time.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import inspect
from collections.abc import Callable
from typing import Any

BUILT_AGAINST = "5.2"


class MotoInternalsChanged(RuntimeError):
    """moto no longer has the shape the sandbox was built against."""

    def __init__(self, thing: str, module_file: str) -> None:
        message = (
            f"lee-console's sandbox was built against moto {BUILT_AGAINST}.x; moto "
            f"{moto_version()} moved {thing}: pin moto to {BUILT_AGAINST} or update "
            f"lee_console/sandbox/{module_file}"
        )
        super().__init__(message)
        self.message = message


def moto_version() -> str:
    try:
        return importlib.metadata.version("moto")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover
        return "(unknown version)"


def _resolve(dotted: str, module_file: str) -> Any:
    module_name, _, attr = dotted.rpartition(":")
    try:
        obj: Any = importlib.import_module(module_name)
        for part in attr.split(".") if attr else []:
            obj = getattr(obj, part)
    except (ImportError, AttributeError):
        raise MotoInternalsChanged(dotted.replace(":", "."), module_file) from None
    return obj


def check_params(
    obj: Any, name: str, params: tuple[str, ...], module_file: str, owner: str = ""
) -> None:
    """``obj.name`` must be callable and take ``params`` as its first parameters (after self)."""
    label = f"{owner or getattr(obj, '__name__', obj)}.{name}"
    func = getattr(obj, name, None)
    if not callable(func):
        raise MotoInternalsChanged(label, module_file)
    try:
        signature = inspect.signature(func)
    except (TypeError, ValueError):  # pragma: no cover - builtins
        return
    names = [p for p in signature.parameters if p != "self"]
    if tuple(names[: len(params)]) != params:
        raise MotoInternalsChanged(f"{label} (parameters {', '.join(params)})", module_file)


def check_attrs(obj: Any, names: tuple[str, ...], module_file: str, label: str) -> None:
    for name in names:
        if not hasattr(obj, name):
            raise MotoInternalsChanged(f"{label}.{name}", module_file)


def _check_dynamodb() -> None:
    backend_cls = _resolve("moto.dynamodb.models:DynamoDBBackend", "backend.py")
    registry = _resolve("moto.dynamodb.models:dynamodb_backends", "install.py")
    if not isinstance(getattr(registry, "backend", None), type):
        raise MotoInternalsChanged("dynamodb_backends.backend (the backend class)", "install.py")
    if not issubclass(registry.backend, backend_cls):
        raise MotoInternalsChanged(
            "dynamodb_backends.backend (not a DynamoDBBackend)", "install.py"
        )
    _resolve("moto.core.base_backend:BackendDict.reset", "install.py")
    methods: dict[str, tuple[str, ...]] = {
        "create_table": ("name", "schema", "throughput", "attr", "global_indexes", "indexes"),
        "delete_table": ("name",),
        "get_table": ("table_name",),
        "update_item": ("table_name", "key"),
        "transact_write_items": ("transact_items",),
        "describe_continuous_backups": ("table_name",),
        "update_continuous_backups": ("table_name", "point_in_time_spec"),
        "create_backup": ("table_name", "backup_name"),
        "get_backup": ("backup_arn",),
        "list_backups": ("table_name",),
        "restore_table_from_backup": ("target_table_name", "backup_arn"),
        "restore_table_to_point_in_time": ("target_table_name", "source_table_name"),
        "execute_statement": (),
        "execute_transaction": (),
        "batch_execute_statement": (),
    }
    for name, params in methods.items():
        check_params(backend_cls, name, params, "backend.py", "DynamoDBBackend")
    source = inspect.getsource(backend_cls.transact_write_items)
    if "copy.deepcopy(" not in source or "original_table_state" not in source:
        raise MotoInternalsChanged(
            "DynamoDBBackend.transact_write_items (its table copy and rollback)", "recorder.py"
        )

    table_cls = _resolve("moto.dynamodb.models.table:Table", "tables.py")
    _resolve("moto.dynamodb.models.table:RESULT_SIZE_LIMIT", "tables.py")
    no_filter = _resolve("moto.dynamodb.comparisons:get_filter_expression", "tables.py")(
        None, {}, {}
    )
    if type(no_filter) is not _resolve("moto.dynamodb.comparisons:OpDefault", "tables.py"):
        raise MotoInternalsChanged(
            "get_filter_expression(None) (no longer an OpDefault)", "tables.py"
        )
    table_methods: dict[str, tuple[str, ...]] = {
        "__init__": ("table_name", "account_id", "region", "schema", "attr", "throughput"),
        "put_item": ("item_attrs",),
        "delete_item": ("hash_key", "range_key"),
        "get_item": ("hash_key", "range_key"),
        "scan": ("filters", "limit", "exclusive_start_key", "filter_expression", "index_name"),
        "query": (
            "hash_key",
            "range_comparison",
            "range_objs",
            "limit",
            "exclusive_start_key",
            "scan_index_forward",
            "projection_expressions",
            "index_name",
        ),
        "all_items": (),
        "describe": ("base_key",),
        "_get_last_evaluated_key": ("last_result", "index_name"),
    }
    for name, params in table_methods.items():
        check_params(table_cls, name, params, "tables.py", "Table")
    backup_cls = _resolve("moto.dynamodb.models.table:Backup", "tables.py")
    check_params(
        backup_cls,
        "__init__",
        ("account_id", "region_name", "name", "table"),
        "tables.py",
        "Backup",
    )
    check_attrs(
        backup_cls,
        ("details", "summary", "description", "arn", "_make_identifier"),
        "tables.py",
        "Backup",
    )
    # SandboxBackup.feature_details reads the backed-up table's TTL, stream and indexes.
    init = inspect.getsource(table_cls.__init__)
    for attr in ("ttl", "stream_specification", "global_indexes", "indexes"):
        if f"self.{attr} " not in init and f"self.{attr}:" not in init:
            raise MotoInternalsChanged(f"Table.{attr} (set in Table.__init__)", "tables.py")
    for index in ("GlobalSecondaryIndex", "LocalSecondaryIndex"):
        cls = _resolve(f"moto.dynamodb.models.table:{index}", "tables.py")
        check_attrs(cls, ("describe",), "tables.py", index)

    _check_item_shape()
    item_cls = _resolve("moto.dynamodb.models.dynamo_type:Item", "install.py")
    check_attrs(item_cls, ("instances_tracked", "size", "project", "to_json"), "install.py", "Item")

    handler = _resolve("moto.dynamodb.responses:DynamoHandler", "handlers.py")
    _resolve("moto.dynamodb.responses:DynamoResult", "handlers.py")
    check_attrs(
        handler,
        (
            "dynamodb_backend",
            "restore_table_to_point_in_time",
            "restore_table_from_backup",
            "list_backups",
            "call_action",
        ),
        "handlers.py",
        "DynamoHandler",
    )
    check_attrs(
        handler,
        ("export_table_to_point_in_time", "describe_export", "list_exports"),
        "exports/handlers.py",
        "DynamoHandler",
    )
    if "self.created_at " not in init:
        raise MotoInternalsChanged("Table.created_at (set in Table.__init__)", "exports/model.py")
    for exc in (
        "PointInTimeRecoveryUnavailable",
        "SourceTableNotFoundException",
        "TableAlreadyExistsException",
        "TableNotFoundException",
        "ResourceNotFoundException",
        "ResourceInUseException",
        "MockValidationException",
    ):
        _resolve(f"moto.dynamodb.exceptions:{exc}", "backend.py")


def _check_item_shape() -> None:
    """codec.py builds DynamoTypes and Items without their constructors: same result?"""
    dynamo_type = _resolve("moto.dynamodb.models.dynamo_type:DynamoType", "codec.py")
    _resolve("moto.dynamodb.models.dynamo_type:LimitedSizeDict", "codec.py")
    from lee_console.sandbox import codec

    sample = {"M": {"a": {"L": [{"N": "1"}, {"S": "x"}]}, "b": {"BOOL": True}}}
    built, reference = codec.dt(sample), dynamo_type(sample)
    if vars(built).keys() != vars(reference).keys() or built != reference:
        raise MotoInternalsChanged("DynamoType's attributes (type, value)", "codec.py")
    item = codec.item_from_wire({"k": {"S": "v"}, "n": {"N": "2"}}, "k", None)
    item_cls = _resolve("moto.dynamodb.models.dynamo_type:Item", "codec.py")
    reference_item = item_cls(dynamo_type({"S": "v"}), None, {"k": {"S": "v"}, "n": {"N": "2"}})
    if vars(item).keys() != vars(reference_item).keys() or item != reference_item:
        raise MotoInternalsChanged("Item's attributes (hash_key, range_key, attrs)", "codec.py")


def _check_s3() -> None:
    """exports/layout.py writes export objects through moto's S3 backend."""
    f = "exports/layout.py"
    registry = _resolve("moto.s3.models:s3_backends", f)
    s3 = registry.backend
    check_params(s3, "put_object", ("bucket_name", "key_name", "value"), f, "S3Backend")
    check_params(s3, "create_bucket", ("bucket_name", "region_name"), f, "S3Backend")
    if "self.buckets" not in inspect.getsource(s3.__init__):
        raise MotoInternalsChanged("S3Backend.buckets (set in S3Backend.__init__)", f)
    check_attrs(_resolve("moto.s3.models:FakeKey", f), ("etag",), f, "FakeKey")


def _check_server() -> None:
    for name in ("DomainDispatcherApplication", "create_backend_app", "MotoRequestHandler"):
        _resolve(f"moto.moto_server.werkzeug_app:{name}", "server.py")


def _check_other_services() -> None:
    f = "scenarios/aws_extras.py"
    cloudwatch = _resolve("moto.cloudwatch.models:cloudwatch_backends", f).backend
    check_params(cloudwatch, "put_metric_data", ("namespace", "metric_data"), f, "CloudWatch")
    lambda_backend = _resolve("moto.awslambda.models:lambda_backends", f).backend
    check_params(lambda_backend, "create_function", ("spec",), f, "LambdaBackend")
    check_params(
        lambda_backend, "publish_version", ("function_name", "description"), f, "LambdaBackend"
    )
    ssm = _resolve("moto.ssm.models:ssm_backends", f).backend
    check_params(ssm, "put_parameter", ("name", "description", "value", "parameter_type"), f, "SSM")
    iam = _resolve("moto.iam.models:iam_backends", f).backend
    check_params(iam, "create_role", ("role_name", "assume_role_policy_document", "path"), f, "IAM")


CHECKS: tuple[Callable[[], None], ...] = (
    _check_dynamodb,
    _check_s3,
    _check_server,
    _check_other_services,
)


def check_moto_internals() -> None:
    """Raise MotoInternalsChanged naming the first internal that moved; return if all hold."""
    for check in CHECKS:
        check()
