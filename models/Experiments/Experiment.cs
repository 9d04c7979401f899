namespace Simd.Models.Experiments;

/// <summary>
/// One rerunnable experiment: it measures through <see cref="ExperimentContext"/> (tables, figures, findings),
/// and <see cref="ExperimentReport"/> turns what it recorded into a CSV, SVG charts and a report.
/// </summary>
internal abstract class Experiment
{
    /// <summary>The command-line name: `experiment &lt;name&gt;`.</summary>
    public abstract string Name { get; }

    public abstract string Title { get; }

    /// <summary>One or two sentences: the question the experiment answers.</summary>
    public abstract string Question { get; }

    /// <summary>Whether the full run trains on Fashion-MNIST (and so needs it installed); --quick always uses shipped data.</summary>
    public virtual bool FullRunNeedsFashionMnist => true;

    public abstract void Run(ExperimentContext context);
}
