namespace Punch.Lab.Tests;

/// <summary>A NAT lab theory: skipped when not root, like <see cref="LabFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class LabTheoryAttribute : TheoryAttribute
{
    public LabTheoryAttribute()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Skip = LabFactAttribute.RootRequired;
        }
    }
}
