"""References to Secrets Manager secrets and SSM parameters; never a value.

A Kubernetes Secret in the input becomes a Secrets Manager secret whose keys are created
empty, with a finding telling the user to populate it. A Secret that is not in the input is
referenced by name (a partial ARN), with a finding telling the user to create it.
"""

from __future__ import annotations

from translator.mapping.context import MapContext, NamespaceBuild
from translator.model.app import Origin
from translator.model.ecs import Metadata, SecretsManagerSecret, SsmParameter
from translator.model.intrinsics import Linked, Ref, Sub, sub_literal
from translator.model.provenance import provenance

_SM_ARN = "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:"
_SSM_ARN = "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter"


def secret_name(namespace: str, name: str) -> str:
    return f"k8s/{namespace}/{name}"


def secret_ref(mc: MapContext, nb: NamespaceBuild, name: str, key: str, origin: Origin, ref: str) -> Linked:
    """The `valueFrom` of one key of a Kubernetes Secret (JSON-key form `<arn>:<key>::`)."""
    full_name = secret_name(nb.namespace, name)
    text = f"arn:aws:secretsmanager:{mc.options.region}:{mc.options.account_id}:secret:{full_name}:{key}::"
    if mc.options.secrets_backend == "ssm":
        mc.used.add(("Secret", nb.namespace, name))
        secret = mc.app.secrets.get((nb.namespace, name))
        where = secret.origin if secret is not None else origin
        keys = ", ".join(secret.keys) if secret is not None else key
        mc.report(where, "K2E354", name=name, prefix=f"/{full_name}", keys=keys)
        return ssm_ref(mc, f"/{full_name}/{key}", text=None)
    logical = ensure_secret(mc, nb, name)
    if logical:
        return Linked(Sub(f"${{{logical}}}:{sub_literal(key)}::"), text)
    _missing(mc, origin, ref, name, full_name, key)
    return Linked(Sub(f"{_SM_ARN}{sub_literal(full_name)}:{sub_literal(key)}::"), text)


def secret_arn(mc: MapContext, nb: NamespaceBuild, name: str, origin: Origin, ref: str) -> Linked:
    """The ARN of a whole Secrets Manager secret (repository credentials take no JSON key)."""
    full_name = secret_name(nb.namespace, name)
    text = f"arn:aws:secretsmanager:{mc.options.region}:{mc.options.account_id}:secret:{full_name}"
    logical = ensure_secret(mc, nb, name)
    if logical:
        return Linked(Ref(logical), text)
    _missing(mc, origin, ref, name, full_name, '"username" and "password"')
    return Linked(Sub(f"{_SM_ARN}{sub_literal(full_name)}"), text)


def _missing(mc: MapContext, origin: Origin, ref: str, name: str, full_name: str, key: str) -> None:
    mc.missing_secrets.setdefault((origin.resource, name, full_name), []).append((origin, ref, key))


def report_missing(mc: MapContext) -> None:
    """One missing Secret is one problem: one K2E331 per workload and Secret, at its first reference,
    naming every reference and key, however many variables, files and pull credentials read it."""
    for (_, name, full_name), refs in mc.missing_secrets.items():
        first = min((origin for origin, _, _ in refs), key=lambda o: o.location)
        mc.report(first, "K2E331", ref=_listed([r for _, r, _ in refs]), name=name, secret_name=full_name,
                  key=", ".join(dict.fromkeys(k for _, _, k in refs)))
    mc.missing_secrets.clear()


def _listed(items: list[str]) -> str:
    unique = list(dict.fromkeys(items))
    return unique[0] if len(unique) == 1 else f"each of {', '.join(unique[:-1])} and {unique[-1]}"  # "... refers to"


def ensure_secret(mc: MapContext, nb: NamespaceBuild, name: str) -> str:
    """The logical id of the secret for Kubernetes Secret `name`, created once; '' if not in input."""
    mc.used.add(("Secret", nb.namespace, name))
    if name in nb.secrets:
        return nb.secrets[name]
    secret = mc.app.secrets.get((nb.namespace, name))
    if secret is None:
        return ""
    logical = nb.ids.get(name, "Secret")
    full_name = secret_name(nb.namespace, name)
    nb.stack.add(SecretsManagerSecret(logical, name=full_name, keys=tuple(secret.keys), metadata=provenance(secret.origin),
                                      description=f"Kubernetes Secret {nb.namespace}/{name} (values not copied)"))
    nb.secrets[name] = logical
    mc.report(secret.origin, "K2E330", name=name, secret_name=full_name, keys=", ".join(secret.keys) or "(none)")
    return logical


def plain_env_ref(mc: MapContext, nb: NamespaceBuild, workload: str, env: str, origin: Origin, container: str) -> Linked:
    """A secret-looking literal env value is not copied into any output: the variable reads it from
    a secret of the workload (`k8s/<ns>/<workload>/env`, one key per variable) that the user fills.
    The name holds a slash, which no Kubernetes Secret name can, so the two never collide."""
    full_name = secret_name(nb.namespace, f"{workload}/env")
    if mc.options.secrets_backend == "ssm":
        parameter = f"/{full_name}/{env}"
        command = f"aws ssm put-parameter --type SecureString --name {parameter} --value ..."
        mc.report(origin, "K2E337", env=env, container=container, where=f"SSM SecureString parameter {parameter}",
                  command=command)
        return ssm_ref(mc, parameter, text=None)
    key = f"{workload}/env"
    if key not in nb.secrets:
        logical = nb.ids.get(f"{workload}-env", "Secret")
        nb.stack.add(SecretsManagerSecret(logical, name=full_name, metadata=provenance(origin),
                                          description=f"Secret-looking environment values of {nb.namespace}/{workload}"))
        nb.secrets[key] = logical
    logical = nb.secrets[key]
    keys = nb.secret_keys.setdefault(logical, [])  # the secret gets them at the end of the namespace
    if env not in keys:
        keys.append(env)
    command = f"aws secretsmanager put-secret-value --secret-id {full_name} --secret-string file://values.json"
    mc.report(origin, "K2E337", env=env, container=container,
              where=f"key {env} of Secrets Manager secret {full_name} after the first deploy", command=command)
    text = f"arn:aws:secretsmanager:{mc.options.region}:{mc.options.account_id}:secret:{full_name}:{env}::"
    return Linked(Sub(f"${{{logical}}}:{sub_literal(env)}::"), text)


def ssm_ref(mc: MapContext, parameter: str, text: str | None) -> Linked:
    arn_text = f"arn:aws:ssm:{mc.options.region}:{mc.options.account_id}:parameter{parameter}"
    return Linked(Sub(f"{_SSM_ARN}{sub_literal(parameter)}"), text or arn_text)


DESCRIPTION_LIMIT = 1024  # characters of an SSM parameter's description
SSM_STANDARD_BYTES = 4096  # the most a standard-tier SSM parameter holds


def config_parameter(mc: MapContext, nb: NamespaceBuild, config_map: str, key: str, value: str) -> Linked | None:
    """An SSM String parameter holding one ConfigMap key (config_backend: ssm), or None when the value
    is over the 4 KB of a standard parameter: then it stays a literal in the task definition, and is
    reported, rather than fail the deploy (advanced parameters hold 8 KB at a monthly charge each)."""
    name = f"/k8s/{nb.namespace}/{config_map}/{key}"
    source = mc.app.config_maps.get((nb.namespace, config_map))
    size = len(value.encode())
    if size > SSM_STANDARD_BYTES:
        mc.report(source.origin if source else Origin(), "K2E338", name=config_map, key=key, size=size,
                  limit=SSM_STANDARD_BYTES)
        return None
    if name not in nb.parameters:
        logical = nb.ids.get(f"{config_map}-{key}", "Parameter")
        nb.stack.add(SsmParameter(logical, name=name, value=value, metadata=provenance(source.origin) if source else Metadata(),
                                  description=f"ConfigMap {nb.namespace}/{config_map} key {key}"[:DESCRIPTION_LIMIT]))
        nb.parameters[name] = logical
    return ssm_ref(mc, name, None)
