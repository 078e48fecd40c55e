using System.Text.Json;
using System.Text.Json.Serialization;

namespace Punch.Server.Api;

/// <summary>One JSON shape for the REST API, the hub and their clients: camelCase properties, enums as their C# names ("Direct").</summary>
public static class PunchJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DictionaryKeyPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new JsonStringEnumConverter(namingPolicy: null, allowIntegerValues: false));
    }
}
