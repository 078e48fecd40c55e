using System.Text.Json;

namespace Punch.Server.Hosting;

/// <summary>Problem details written from places that are not endpoints (authentication, the rate limiter) and JSON bodies read without model binding.</summary>
public static class ProblemResponses
{
    /// <summary>Request bodies of the API are tiny (a password, a key); anything bigger is refused unread.</summary>
    public const int MaxJsonBodyBytes = 4096;

    public static async Task WriteAsync(HttpContext context, int status, string detail)
    {
        context.Response.StatusCode = status;
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Detail = detail },
        });
    }

    /// <summary>
    /// Reads a small JSON body. Model binding would answer a bad body with a bare 400 (or throw in
    /// Development); this reports what is wrong in <paramref name="errors"/> and never throws on input.
    /// </summary>
    public static async Task<T?> ReadJsonAsync<T>(HttpRequest request, Dictionary<string, string[]> errors, CancellationToken cancellationToken) where T : class
    {
        if (!request.HasJsonContentType())
        {
            errors["body"] = ["Send a JSON body with Content-Type: application/json."];
            return null;
        }
        var buffer = new byte[MaxJsonBodyBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        if (length > MaxJsonBodyBytes)
        {
            errors["body"] = [$"The body must be at most {MaxJsonBodyBytes} bytes."];
            return null;
        }
        try
        {
            var options = request.HttpContext.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
            var value = JsonSerializer.Deserialize<T>(buffer.AsSpan(0, length), options);
            if (value is null)
            {
                errors["body"] = ["The body must be a JSON object."];
            }

            return value;
        }
        catch (JsonException ex)
        {
            errors["body"] = [$"The body is not valid JSON for this request: {ex.Message}"];
            return null;
        }
    }
}
