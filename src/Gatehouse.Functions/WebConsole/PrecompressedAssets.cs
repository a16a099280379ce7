using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Gatehouse.Functions.WebConsole;

/// <summary>
/// The console's assets in the forms its build compressed them to (console/precompress.js writes
/// <c>x.js.br</c> and <c>x.js.gz</c> beside <c>x.js</c>): a browser that accepts brotli or gzip gets
/// those bytes, with <c>Content-Encoding</c>, and the static files middleware serves them as it serves
/// any file (length, ETag, ranges). No request pays for compression; the console's 12 MB of scripts
/// are 3.1 MB in brotli. Every asset answer says it varies with <c>Accept-Encoding</c>, so that a
/// cache between keeps the forms apart.
/// </summary>
internal static class PrecompressedAssets
{
    /// <summary>The forms tried, in the order preferred: brotli is the smaller.</summary>
    private static readonly (string Encoding, string Suffix)[] s_forms = [("br", ".br"), ("gzip", ".gz")];

    private static readonly object s_chosen = new();

    /// <summary>Picks the compressed form of an asset request the client accepts, when the build wrote one.</summary>
    public static IApplicationBuilder UsePrecompressedAssets(this IApplicationBuilder app, IFileProvider files, PathString assets) =>
        app.Use((context, next) =>
        {
            var request = context.Request;
            if (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) || !request.Path.StartsWithSegments(assets))
            {
                return next(context);
            }
            // The compressed forms are ways to send an asset, not assets: asked for by name, they would go out
            // with the script's type and no encoding.
            if (CompressedSuffix(request.Path.Value!) is not null)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }
            context.Response.Headers.Append(HeaderNames.Vary, HeaderNames.AcceptEncoding);
            var accepted = request.GetTypedHeaders().AcceptEncoding;
            foreach (var (encoding, suffix) in s_forms)
            {
                if (Accepts(accepted, encoding) && files.GetFileInfo(request.Path.Value + suffix).Exists)
                {
                    context.Items[s_chosen] = encoding;
                    request.Path += suffix;
                    break;
                }
            }
            return next(context);
        });

    /// <summary>Marks an answer sent from a compressed form with its encoding: for <see cref="StaticFileOptions.OnPrepareResponse"/>.</summary>
    public static void MarkEncoding(StaticFileResponseContext file)
    {
        if (file.Context.Items.TryGetValue(s_chosen, out var encoding))
        {
            file.Context.Response.Headers.ContentEncoding = (string)encoding!;
        }
    }

    /// <summary>Types a compressed form as the file it holds: <c>x.js.br</c> is a script.</summary>
    public static IContentTypeProvider ContentTypes { get; } = new TypeOfWhatIsCompressed(new FileExtensionContentTypeProvider());

    /// <summary>Whether Accept-Encoding names the encoding, or <c>*</c>, with a quality above zero (RFC 9110 §12.5.3).</summary>
    private static bool Accepts(IList<StringWithQualityHeaderValue> accepted, string encoding)
    {
        var named = accepted.FirstOrDefault(value => string.Equals(value.Value.Value, encoding, StringComparison.OrdinalIgnoreCase))
            ?? accepted.FirstOrDefault(value => value.Value.Value == "*");
        return named is not null && named.Quality is not <= 0;
    }

    /// <summary>The suffix of a compressed form the path ends with, or null for any other file.</summary>
    private static string? CompressedSuffix(string path) =>
        s_forms.Select(form => form.Suffix).FirstOrDefault(suffix => path.EndsWith(suffix, StringComparison.OrdinalIgnoreCase));

    private sealed class TypeOfWhatIsCompressed(IContentTypeProvider types) : IContentTypeProvider
    {
        public bool TryGetContentType(string subpath, out string contentType) =>
            types.TryGetContentType(subpath[..^(CompressedSuffix(subpath)?.Length ?? 0)], out contentType!);
    }
}
