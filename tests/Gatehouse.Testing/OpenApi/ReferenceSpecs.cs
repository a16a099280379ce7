namespace Gatehouse.Testing.OpenApi;

/// <summary>
/// The Konnect specs Gatehouse's API answers to, Kong's declarative config schema and azd's
/// azure.yaml schema, from tests/Gatehouse.Testing/Specs, which the build copies next to every
/// assembly that references this project. Each is read once, on first use.
/// </summary>
public static class ReferenceSpecs
{
    private static readonly Lazy<OpenApiDocument> s_controlPlanes = new(() => OpenApiDocument.Load(PathOf("konnect-control-planes-v2.openapi.yaml")));
    private static readonly Lazy<OpenApiDocument> s_controlPlanesConfig = new(() => OpenApiDocument.Load(PathOf("konnect-control-planes-config-v2.openapi.yaml")));
    private static readonly Lazy<OpenApiDocument> s_identity = new(() => OpenApiDocument.Load(PathOf("konnect-identity-v3.subset.openapi.yaml")));
    private static readonly Lazy<JsonSchemaValidator> s_kongDeclarativeConfig = new(() => JsonSchemaValidator.Load(PathOf("kong-declarative-config.schema.json")));
    private static readonly Lazy<JsonSchemaValidator> s_azdProject = new(() => JsonSchemaValidator.Load(PathOf("azd-azure.yaml.schema.json")));

    public static string SpecsDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "Specs");

    /// <summary>Konnect Control Planes v2: /control-planes and group memberships (OpenAPI 3.0).</summary>
    public static OpenApiDocument ControlPlanes => s_controlPlanes.Value;

    /// <summary>Konnect Control Planes Configuration v2: the core entities under /control-planes/{controlPlaneId}/core-entities (OpenAPI 3.1).</summary>
    public static OpenApiDocument ControlPlanesConfig => s_controlPlanesConfig.Value;

    /// <summary>
    /// Konnect Identity v3, the subset of system accounts, their access tokens and assigned roles, and teams
    /// (OpenAPI 3.1; paths and the components they use from Kong/terraform-provider-konnect openapi.yaml at release 3.19.0).
    /// </summary>
    public static OpenApiDocument Identity => s_identity.Value;

    /// <summary>Kong's declarative configuration (kong.yaml / deck), a JSON Schema draft 4 document.</summary>
    public static JsonSchemaValidator KongDeclarativeConfig => s_kongDeclarativeConfig.Value;

    /// <summary>
    /// azd's schema of azure.yaml (JSON Schema draft 2019-09), copied unchanged from
    /// https://github.com/Azure/azure-dev, schemas/v1.0/azure.yaml.json at commit
    /// ae35809f496491989273d0edefdeb70f245f399b (2026-08-21) — the file azure.yaml's
    /// <c>yaml-language-server: $schema</c> line points at.
    /// </summary>
    public static JsonSchemaValidator AzdProject => s_azdProject.Value;

    private static string PathOf(string file) => Path.Combine(SpecsDirectory, file);
}
