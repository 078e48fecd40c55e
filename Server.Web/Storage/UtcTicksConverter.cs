using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Punch.Server.Storage;

/// <summary>Stores a DateTimeOffset as UTC ticks; reads it back with offset zero.</summary>
public sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
    value => value.UtcTicks,
    ticks => new DateTimeOffset(ticks, TimeSpan.Zero));
