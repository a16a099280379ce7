using System.Text.Json;
using Gatehouse.Core.Audit.Delivery;
using Gatehouse.Core.Validation;
using Gatehouse.Functions.Access;
using Gatehouse.Functions.Documentation;
using Gatehouse.Functions.Http;

namespace Gatehouse.Functions.Audit.Delivery;

/// <summary>
/// Konnect's audit log delivery API: <c>/v2/audit-log-destinations</c> (create, get, update, delete,
/// and a list), <c>/v2/audit-log-webhook</c> (get, update) and the signing key's JWKS. The
/// <c>authorization</c> value is write-only, as Konnect's spec marks it: stored, never answered.
/// </summary>
internal static class AuditDeliveryEndpoints
{
    public const string DestinationsPath = "/v2/audit-log-destinations";
    public const string WebhookPath = "/v2/audit-log-webhook";

    public static void MapAuditDelivery(this IEndpointRouteBuilder app)
    {
        var destinations = app.MapGroup(DestinationsPath).WithErrorDialect(ErrorDialect.Problem).WithTags("Audit Logs")
            .RequiresAccess(AccessRequirement.OrganizationAdmin);
        destinations.MapPost("", CreateAsync).WithSummary("Create an audit log destination: name, endpoint, authorization (write-only), log_format (cef or json), skip_ssl_verification.")
            .Responds(201, "The destination, without its authorization").Responds(400, "Invalid destination");
        destinations.MapGet("", ListAsync).WithSummary("List audit log destinations.").Responds(200, "data (destinations) and meta.page");
        destinations.MapGet("/{auditLogDestinationId}", GetAsync).WithSummary("Get an audit log destination.")
            .Responds(200, "The destination, without its authorization").Responds(404, "No such destination");
        destinations.MapPatch("/{auditLogDestinationId}", UpdateAsync).WithSummary("Update an audit log destination: the fields given change.")
            .Responds(200, "The destination, without its authorization").Responds(400, "Invalid destination").Responds(404, "No such destination");
        destinations.MapDelete("/{auditLogDestinationId}", DeleteAsync).WithSummary("Delete an audit log destination the webhook does not use.")
            .Responds(204, "Deleted").Responds(404, "No such destination").Responds(409, "The audit log webhook uses it");
        destinations.MapUnmatched();

        var webhook = app.MapGroup(WebhookPath).WithErrorDialect(ErrorDialect.Problem).WithTags("Audit Logs");
        webhook.MapGet("", GetWebhookAsync).WithSummary("Get the audit log webhook.").RequiresAccess(AccessRequirement.OrganizationAdmin)
            .Responds(200, "endpoint, enabled, log_format, skip_ssl_verification, audit_log_destination_id, updated_at");
        webhook.MapPatch("", UpdateWebhookAsync)
            .WithSummary("Update the audit log webhook: enabled, and either audit_log_destination_id or its own endpoint, authorization, log_format, skip_ssl_verification.")
            .RequiresAccess(AccessRequirement.OrganizationAdmin)
            .Responds(200, "The webhook, without its authorization").Responds(400, "Invalid webhook");
        // Anyone who holds a token may verify signatures: the public key is no secret.
        webhook.MapGet("/jwks.json", async (AuditSigner signer, CancellationToken ct) => Results.Json(await signer.JwksAsync(ct)))
            .WithSummary("The ED25519 public key audit entries are signed with, as a JWKS (Konnect's path).")
            .RequiresAccess(AccessRequirement.FilteredByEndpoint)
            .Responds(200, "keys: one OKP Ed25519 key (x, kid)");
        webhook.MapUnmatched();
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, IAuditDeliveryStore store, AuditEndpointPolicy policy, TimeProvider clock, CancellationToken ct)
    {
        var fields = new Fields(await RequestBody.ReadObjectAsync(request, ct), s_destinationFields);
        var name = fields.Text("name", required: true);
        var endpoint = fields.Endpoint("endpoint", policy, required: true);
        var authorization = fields.Text("authorization", required: true);
        var format = fields.Format(required: true);
        var skip = fields.Flag("skip_ssl_verification");
        fields.ThrowIfInvalid();
        var now = clock.GetUtcNow();
        var destination = new AuditDestination(Guid.NewGuid(), name!, endpoint!, authorization!, format!, skip ?? false, now, now);
        await store.PutDestinationAsync(destination, ct);
        return Results.Json(Write(destination), ApiJson.Options, statusCode: 201);
    }

    private static async Task<IResult> ListAsync(IAuditDeliveryStore store, CancellationToken ct)
    {
        var all = await store.ListDestinationsAsync(ct);
        return Results.Json(new
        {
            meta = new { page = new { number = 1, size = all.Count, total = all.Count } },
            data = all.OrderBy(d => d.CreatedAt).Select(Write),
        }, ApiJson.Options);
    }

    private static async Task<IResult> GetAsync(string auditLogDestinationId, IAuditDeliveryStore store, CancellationToken ct) =>
        Results.Json(Write(await FindAsync(auditLogDestinationId, store, ct)), ApiJson.Options);

    private static async Task<IResult> UpdateAsync(
        string auditLogDestinationId, HttpRequest request, IAuditDeliveryStore store, AuditEndpointPolicy policy, TimeProvider clock, CancellationToken ct)
    {
        var destination = await FindAsync(auditLogDestinationId, store, ct);
        var fields = new Fields(await RequestBody.ReadObjectAsync(request, ct, emptyIsObject: true), s_destinationFields);
        var name = fields.Text("name");
        var endpoint = fields.Endpoint("endpoint", policy);
        var authorization = fields.Text("authorization");
        var format = fields.Format();
        var skip = fields.Flag("skip_ssl_verification");
        fields.ThrowIfInvalid();
        destination = destination with
        {
            Name = name ?? destination.Name,
            Endpoint = endpoint ?? destination.Endpoint,
            Authorization = authorization ?? destination.Authorization,
            LogFormat = format ?? destination.LogFormat,
            SkipSslVerification = skip ?? destination.SkipSslVerification,
            UpdatedAt = clock.GetUtcNow(),
        };
        await store.PutDestinationAsync(destination, ct);
        return Results.Json(Write(destination), ApiJson.Options);
    }

    private static async Task<IResult> DeleteAsync(string auditLogDestinationId, IAuditDeliveryStore store, CancellationToken ct)
    {
        var destination = await FindAsync(auditLogDestinationId, store, ct);
        if ((await store.GetWebhookAsync(ct)).DestinationId == destination.Id)
        {
            throw new ConflictException($"The audit log webhook uses audit log destination {destination.Id}; point it elsewhere first.");
        }
        await store.DeleteDestinationAsync(destination.Id, ct);
        return Results.NoContent();
    }

    private static async Task<IResult> GetWebhookAsync(IAuditDeliveryStore store, CancellationToken ct) =>
        Results.Json(Write(await store.GetWebhookAsync(ct)), ApiJson.Options);

    private static async Task<IResult> UpdateWebhookAsync(HttpRequest request, IAuditDeliveryStore store, AuditEndpointPolicy policy, TimeProvider clock, CancellationToken ct)
    {
        var webhook = await store.GetWebhookAsync(ct);
        var fields = new Fields(await RequestBody.ReadObjectAsync(request, ct, emptyIsObject: true), s_webhookFields);
        var enabled = fields.Flag("enabled");
        var destinationText = fields.Text("audit_log_destination_id");
        var endpoint = fields.Endpoint("endpoint", policy);
        var authorization = fields.Text("authorization");
        var format = fields.Format();
        var skip = fields.Flag("skip_ssl_verification");
        Guid? destinationId = webhook.DestinationId;
        if (destinationText is not null)
        {
            if (!Guid.TryParseExact(destinationText, "D", out var id))
            {
                fields.Invalid("audit_log_destination_id", "must be a valid UUID", "is_uuid");
            }
            else if (await store.GetDestinationAsync(id, ct) is null)
            {
                fields.Invalid("audit_log_destination_id", $"no audit log destination {id}", "exists");
            }
            else
            {
                destinationId = id;
            }
        }
        else if (endpoint is not null)
        {
            // An endpoint of its own replaces the destination it named.
            destinationId = null;
        }
        webhook = webhook with
        {
            Enabled = enabled ?? webhook.Enabled,
            DestinationId = destinationId,
            Endpoint = endpoint ?? webhook.Endpoint,
            Authorization = authorization ?? webhook.Authorization,
            LogFormat = format ?? webhook.LogFormat,
            SkipSslVerification = skip ?? webhook.SkipSslVerification,
            UpdatedAt = clock.GetUtcNow(),
        };
        if (webhook.Enabled && webhook.DestinationId is null && webhook.Endpoint is null)
        {
            fields.Invalid("enabled", "needs an endpoint or an audit_log_destination_id to send to", "dependent_fields");
        }
        fields.ThrowIfInvalid();
        await store.PutWebhookAsync(webhook, ct);
        return Results.Json(Write(webhook), ApiJson.Options);
    }

    private static async Task<AuditDestination> FindAsync(string id, IAuditDeliveryStore store, CancellationToken ct) =>
        Guid.TryParse(id, out var guid) && await store.GetDestinationAsync(guid, ct) is { } destination
            ? destination
            : throw new NotFoundException($"Audit log destination {id} not found.");

    // Never the authorization value.
    private static Dictionary<string, object?> Write(AuditDestination destination) => new()
    {
        ["id"] = destination.Id,
        ["name"] = destination.Name,
        ["endpoint"] = destination.Endpoint,
        ["log_format"] = destination.LogFormat,
        ["skip_ssl_verification"] = destination.SkipSslVerification,
        ["created_at"] = ApiJson.Timestamp(destination.CreatedAt),
        ["updated_at"] = ApiJson.Timestamp(destination.UpdatedAt),
    };

    private static Dictionary<string, object?> Write(AuditWebhook webhook) => new()
    {
        ["endpoint"] = webhook.Endpoint,
        ["enabled"] = webhook.Enabled,
        ["audit_log_destination_id"] = webhook.DestinationId,
        ["log_format"] = webhook.LogFormat,
        ["skip_ssl_verification"] = webhook.SkipSslVerification,
        // Konnect: 0001-01-01T00:00:00Z until the webhook is first configured.
        ["updated_at"] = ApiJson.Timestamp(webhook.UpdatedAt),
    };

    private static readonly HashSet<string> s_destinationFields = ["name", "endpoint", "authorization", "log_format", "skip_ssl_verification"];
    private static readonly HashSet<string> s_webhookFields = [.. s_destinationFields.Except(["name"]), "enabled", "audit_log_destination_id"];

    /// <summary>The body's fields by name and type (<see cref="JsonFields"/>, unknown ones refused), and the rules of these endpoints.</summary>
    private sealed class Fields(JsonElement body, IReadOnlySet<string> known)
    {
        private readonly JsonFields _json = new(body, known, []);

        public void Invalid(string field, string reason, string rule) => _json.Errors.Add(new InvalidParameter(field, reason, rule));

        public string? Text(string field, bool required = false)
        {
            var text = _json.String(field);
            if (required && !_json.Has(field))
            {
                Invalid(field, "is required", "required");
            }
            else if (text is { Length: 0 })
            {
                Invalid(field, "must not be empty", "min_length");
                return null;
            }
            return text;
        }

        public bool? Flag(string field) => _json.Boolean(field);

        public string? Endpoint(string field, AuditEndpointPolicy policy, bool required = false)
        {
            var text = Text(field, required);
            if (text is null)
            {
                return null;
            }
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || !(uri.Scheme == Uri.UriSchemeHttps || (policy.AllowHttp && uri.Scheme == Uri.UriSchemeHttp)))
            {
                Invalid(field, policy.AllowHttp ? "must be an absolute http or https URL" : "must be an absolute https URL", "is_url");
                return null;
            }
            return text;
        }

        public string? Format(bool required = false)
        {
            var text = Text("log_format", required);
            if (text is not null && !AuditLogFormats.Supported.Contains(text))
            {
                Invalid("log_format", $"must be one of {string.Join(", ", AuditLogFormats.Supported)}", "enum");
                return null;
            }
            return text;
        }

        public void ThrowIfInvalid()
        {
            if (_json.Errors.Count > 0)
            {
                throw new RequestInvalidException("Request contains invalid fields.", _json.Errors);
            }
        }
    }
}

/// <summary>
/// Konnect only delivers over HTTPS; <c>Gatehouse__Audit__AllowHttpEndpoints</c> lets http:// endpoints
/// be named too (local development, tests), where the authorization value travels in the clear.
/// </summary>
internal sealed record AuditEndpointPolicy(bool AllowHttp);
