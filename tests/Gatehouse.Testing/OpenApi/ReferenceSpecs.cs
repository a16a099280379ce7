namespace Gatehouse.Testing.OpenApi;

/// <summary>
/// The Konnect specs Gatehouse's API answers to and Kong's declarative config schema, from
/// tests/Gatehouse.Testing/Specs, which the build copies next to every assembly that references
/// this project. Each is read once, on first use.
/// </summary>
public static class ReferenceSpecs
{
    private static readonly Lazy<OpenApiDocument> s_controlPlanes = new(() => OpenApiDocument.Load(PathOf("konnect-control-planes-v2.openapi.yaml")));
    private static readonly Lazy<OpenApiDocument> s_controlPlanesConfig = new(() => OpenApiDocument.Load(PathOf("konnect-control-planes-config-v2.openapi.yaml")));
    private static readonly Lazy<JsonSchemaValidator> s_kongDeclarativeConfig = new(() => JsonSchemaValidator.Load(PathOf("kong-declarative-config.schema.json")));

    public static string SpecsDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "Specs");

    /// <summary>Konnect Control Planes v2: /control-planes and group memberships (OpenAPI 3.0).</summary>
    public static OpenApiDocument ControlPlanes => s_controlPlanes.Value;

    /// <summary>Konnect Control Planes Configuration v2: the core entities under /control-planes/{controlPlaneId}/core-entities (OpenAPI 3.1).</summary>
    public static OpenApiDocument ControlPlanesConfig => s_controlPlanesConfig.Value;

    /// <summary>Kong's declarative configuration (kong.yaml / deck), a JSON Schema draft 4 document.</summary>
    public static JsonSchemaValidator KongDeclarativeConfig => s_kongDeclarativeConfig.Value;

    private static string PathOf(string file) => Path.Combine(SpecsDirectory, file);
}
