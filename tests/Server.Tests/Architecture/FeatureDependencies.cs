using System.Reflection;
using System.Reflection.Emit;

namespace Punch.Server.Tests.Architecture;

/// <summary>
/// Which feature folder of Server.Web uses which, read from the compiled assembly: every type's base
/// types, members' signatures, locals and the types, methods and fields its IL names. A feature is the
/// namespace segment after <c>Punch.Server.</c> (folders are namespaces; <c>Rendezvous.Sockets</c> is
/// part of <c>Rendezvous</c>); nested and compiler-made types (lambdas, async state machines) count
/// for the type that declares them. Constants are inlined by the compiler and so not seen there;
/// <see cref="AddUsings"/> adds the sources' using directives for them.
/// </summary>
public sealed partial class FeatureDependencies
{
    private const string Root = "Punch.Server.";
    private const BindingFlags Declared = BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (OpCode)field.GetValue(null)!)
        .ToDictionary(code => code.Value);

    /// <summary>Feature → feature it uses → one example "User → Used" for the message.</summary>
    public SortedDictionary<string, SortedDictionary<string, string>> Edges { get; } = new(StringComparer.Ordinal);

    public SortedSet<string> Features { get; } = new(StringComparer.Ordinal);

    public static FeatureDependencies Of(Assembly assembly)
    {
        var dependencies = new FeatureDependencies();
        foreach (var type in assembly.GetTypes())
        {
            var from = FeatureOf(type);
            if (from is null)
            {
                continue;
            }

            dependencies.Features.Add(from);
            foreach (var used in ReferencedTypes(type))
            {
                var to = FeatureOf(used);
                if (to is null || to == from || used.Assembly != assembly)
                {
                    continue;
                }

                dependencies.Add(from, to, $"{Outermost(type).FullName} → {Outermost(used).FullName}");
            }
        }

        return dependencies;
    }

    /// <summary>
    /// Adds the <c>using Punch.Server.X;</c> directives of the sources under <paramref name="serverWeb"/>
    /// (C# and Razor): a constant the compiler inlined leaves no trace in the assembly, its using does.
    /// </summary>
    public void AddUsings(DirectoryInfo serverWeb)
    {
        foreach (var file in serverWeb.EnumerateFiles("*.*", SearchOption.AllDirectories).Where(f => f.Extension is ".cs" or ".razor"))
        {
            var relative = Path.GetRelativePath(serverWeb.FullName, file.FullName).Split(Path.DirectorySeparatorChar);
            if (relative.Length < 2 || relative[0] is "obj" or "bin")
            {
                continue;
            }

            var from = relative[0];
            foreach (var line in File.ReadLines(file.FullName))
            {
                var match = UsingDirective().Match(line);
                if (match.Success && match.Groups[1].Value != from)
                {
                    Add(from, match.Groups[1].Value, $"{string.Join('/', relative)}: {line.Trim()}");
                }
            }
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\s*@?using\s+(?:static\s+)?Punch\.Server\.(\w+)")]
    private static partial System.Text.RegularExpressions.Regex UsingDirective();

    private void Add(string from, string to, string example)
    {
        Features.Add(from);
        var targets = Edges.TryGetValue(from, out var existing) ? existing : Edges[from] = new(StringComparer.Ordinal);
        targets.TryAdd(to, example);
    }

    /// <summary>Every set of features that reach each other (Tarjan's strongly connected components with more than one member).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var components = new List<IReadOnlyList<string>>();

        void Visit(string feature)
        {
            index[feature] = low[feature] = index.Count;
            stack.Push(feature);
            onStack.Add(feature);
            foreach (var next in Edges.TryGetValue(feature, out var targets) ? targets.Keys : Enumerable.Empty<string>())
            {
                if (!index.TryGetValue(next, out var nextIndex))
                {
                    Visit(next);
                    low[feature] = Math.Min(low[feature], low[next]);
                }
                else if (onStack.Contains(next))
                {
                    low[feature] = Math.Min(low[feature], nextIndex);
                }
            }

            if (low[feature] != index[feature])
            {
                return;
            }

            var component = new List<string>();
            string member;
            do
            {
                member = stack.Pop();
                onStack.Remove(member);
                component.Add(member);
            }
            while (member != feature);
            if (component.Count > 1)
            {
                components.Add(component.Order(StringComparer.Ordinal).ToList());
            }
        }

        foreach (var feature in Features)
        {
            if (!index.ContainsKey(feature))
            {
                Visit(feature);
            }
        }

        return components;
    }

    /// <summary>The edges inside one cycle, one line each with the example that makes it.</summary>
    public IEnumerable<string> Describe(IReadOnlyList<string> cycle) =>
        from user in cycle
        where Edges.ContainsKey(user)
        from edge in Edges[user]
        where cycle.Contains(edge.Key)
        select $"  {user} -> {edge.Key}   ({edge.Value})";

    private static Type Outermost(Type type)
    {
        while (type.DeclaringType is { } outer)
        {
            type = outer;
        }

        return type;
    }

    private static string? FeatureOf(Type type)
    {
        var ns = Outermost(type).Namespace;
        if (ns is null || !ns.StartsWith(Root, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = ns[Root.Length..];
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? rest : rest[..dot];
    }

    private static IEnumerable<Type> ReferencedTypes(Type type)
    {
        var found = new HashSet<Type>();
        void Add(Type? candidate)
        {
            if (candidate is null || !found.Add(candidate))
            {
                return;
            }

            if (candidate.HasElementType)
            {
                Add(candidate.GetElementType());
            }

            if (candidate.IsGenericType && !candidate.IsGenericTypeDefinition)
            {
                Add(candidate.GetGenericTypeDefinition());
                foreach (var argument in candidate.GetGenericArguments())
                {
                    Add(argument);
                }
            }
        }

        void AddMethod(MethodBase method)
        {
            Add(method.DeclaringType);
            if (method is MethodInfo info)
            {
                Add(info.ReturnType);
            }

            foreach (var parameter in method.GetParameters())
            {
                Add(parameter.ParameterType);
            }

            if (method.IsGenericMethod)
            {
                foreach (var argument in method.GetGenericArguments())
                {
                    Add(argument);
                }
            }
        }

        Add(type.BaseType);
        foreach (var contract in type.GetInterfaces())
        {
            Add(contract);
        }

        foreach (var field in type.GetFields(Declared))
        {
            Add(field.FieldType);
        }

        foreach (var property in type.GetProperties(Declared))
        {
            Add(property.PropertyType);
        }

        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            AddMethod(method);
            foreach (var attribute in method.CustomAttributes)
            {
                Add(attribute.AttributeType);
            }

            var body = method.GetMethodBody();
            if (body is null)
            {
                continue;
            }

            foreach (var local in body.LocalVariables)
            {
                Add(local.LocalType);
            }

            foreach (var member in MembersNamedBy(method, body.GetILAsByteArray() ?? []))
            {
                switch (member)
                {
                    case Type named: Add(named); break;
                    case MethodBase called: AddMethod(called); break;
                    case FieldInfo field: Add(field.DeclaringType); Add(field.FieldType); break;
                }
            }
        }

        return found;
    }

    /// <summary>Walks the IL one instruction at a time and resolves the tokens of type, method and field operands.</summary>
    private static IEnumerable<MemberInfo> MembersNamedBy(MethodBase method, byte[] il)
    {
        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var members = new List<MemberInfo>();
        var position = 0;
        while (position < il.Length)
        {
            short value = il[position++];
            if (value == 0xFE && position < il.Length)
            {
                value = unchecked((short)(0xFE00 | il[position++]));
            }

            if (!OpCodesByValue.TryGetValue(value, out var code))
            {
                break;
            }

            switch (code.OperandType)
            {
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    position += 1;
                    break;
                case OperandType.InlineVar:
                    position += 2;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    position += 8;
                    break;
                case OperandType.InlineSwitch:
                    position += 4 + (4 * BitConverter.ToInt32(il, position));
                    break;
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineType or OperandType.InlineTok:
                    var token = BitConverter.ToInt32(il, position);
                    position += 4;
                    try
                    {
                        members.Add(method.Module.ResolveMember(token, typeArguments, methodArguments)!);
                    }
                    catch (ArgumentException)
                    {
                        // A token into an assembly this test process cannot load names nothing of ours.
                    }
                    catch (IOException)
                    {
                        // As above: the referenced assembly is not loadable here.
                    }

                    break;
                default:
                    position += 4;
                    break;
            }
        }

        return members;
    }
}
