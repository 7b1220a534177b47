using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace ConvGen.Generator.Diagnostics;

/// <summary>
/// The descriptors behind <see cref="DiagnosticIds"/>. Errors stay configurable on purpose: users prototyping a layer
/// may silence one with #pragma or NoWarn (the generator still emits nothing for a layer with an error).
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Usage = "ConvGen.Usage";
    private const string Shape = "ConvGen.Shape";
    private const string Performance = "ConvGen.Performance";
    private const string HelpRoot = "https://github.com/convgen/convgen/blob/main/docs/diagnostics/";

    public static readonly DiagnosticDescriptor NotPartial = Error(DiagnosticIds.NotPartial, Usage,
        "Layer class must be partial",
        "Layer class '{0}' must be declared partial so that ConvGen can add its kernel");

    public static readonly DiagnosticDescriptor ContainingTypeNotPartial = Error(DiagnosticIds.ContainingTypeNotPartial, Usage,
        "Types containing a layer class must be partial",
        "Type '{0}', which contains layer class '{1}', must be declared partial so that ConvGen can extend '{1}'");

    public static readonly DiagnosticDescriptor GenericLayer = Error(DiagnosticIds.GenericLayer, Usage,
        "Layer class cannot be generic",
        "Layer class '{0}' has {1} type parameter(s); a [ConvLayer] class cannot be generic");

    public static readonly DiagnosticDescriptor KernelSizeInvalid = Error(DiagnosticIds.KernelSizeInvalid, Usage,
        "Kernel size must be at least 1",
        "Kernel size {0} = {1} for layer '{2}': a kernel size must be at least 1");

    public static readonly DiagnosticDescriptor KernelSizeConflict = Error(DiagnosticIds.KernelSizeConflict, Usage,
        "K conflicts with Kh or Kw",
        "Kernel size conflict for layer '{0}': K = {1} but {2} = {3}; write K alone, or Kh and Kw, or make them agree");

    public static readonly DiagnosticDescriptor KernelSizeMissing = Error(DiagnosticIds.KernelSizeMissing, Usage,
        "Kernel size is missing",
        "Layer '{0}' has no kernel {1}: write {2}");

    public static readonly DiagnosticDescriptor StrideInvalid = Error(DiagnosticIds.StrideInvalid, Usage,
        "Stride must be at least 1",
        "Stride {0} = {1} for layer '{2}': stride must be at least 1");

    public static readonly DiagnosticDescriptor DilationInvalid = Error(DiagnosticIds.DilationInvalid, Usage,
        "Dilation must be at least 1",
        "Dilation {0} = {1} for layer '{2}': dilation must be at least 1");

    public static readonly DiagnosticDescriptor PaddingNegative = Error(DiagnosticIds.PaddingNegative, Usage,
        "Padding must not be negative",
        "Padding {0} = {1} for layer '{2}': padding must not be negative");

    public static readonly DiagnosticDescriptor GroupsInvalid = Error(DiagnosticIds.GroupsInvalid, Usage,
        "Groups must be at least 1",
        "Groups = {0} for layer '{1}': the number of groups must be at least 1");

    public static readonly DiagnosticDescriptor GroupsNotDividing = Error(DiagnosticIds.GroupsNotDividing, Usage,
        "Groups must divide the channel counts",
        "Groups = {0} for layer '{1}' does not divide {2} = {3} ({3} mod {0} = {4}){5}");

    public static readonly DiagnosticDescriptor ChannelsInvalid = Error(DiagnosticIds.ChannelsInvalid, Usage,
        "Channel count must be at least 1",
        "{0} = {1} for layer '{2}': a channel count must be at least 1");

    public static readonly DiagnosticDescriptor ChannelsHalfSpecified = Error(DiagnosticIds.ChannelsHalfSpecified, Usage,
        "InChannels and OutChannels go together",
        "Layer '{0}' gives {1} = {2} without {3}: give both to fix the channels at build time, or neither to pass them to the constructor");

    public static readonly DiagnosticDescriptor InputSizeInvalid = Error(DiagnosticIds.InputSizeInvalid, Usage,
        "Static input size must be at least 1",
        "{0} = {1} for layer '{2}': a static input size must be at least 1 (omit it to accept any size)");

    public static readonly DiagnosticDescriptor StaticOrAbstractLayer = Error(DiagnosticIds.StaticOrAbstractLayer, Usage,
        "Layer class cannot be static or abstract",
        "Layer class '{0}' is {1}; ConvGen generates a constructor and instance members, so the class must be a concrete instance class");

    public static readonly DiagnosticDescriptor LayerTooLarge = Error(DiagnosticIds.LayerTooLarge, Usage,
        "Layer is too large",
        "Layer '{0}' is too large: {1} = {2} exceeds 2147483647 (2^31 - 1), the most elements a .NET span or array can index");

    public static readonly DiagnosticDescriptor MultipleLayerAttributes = Error(DiagnosticIds.MultipleLayerAttributes, Usage,
        "A class can carry only one ConvGen layer attribute",
        "Class '{0}' carries [{1}] and also [{2}]: a class is one layer, so keep exactly one ConvGen layer attribute");

    public static readonly DiagnosticDescriptor PaddingRuleWithPads = Error(DiagnosticIds.PaddingRuleWithPads, Usage,
        "Padding rule decides the pads, so pads cannot also be written",
        "Layer '{0}' has Padding = {1}, which decides the pads itself, but also writes {2} = {3}: remove {2}, or remove Padding to use the written pads");

    public static readonly DiagnosticDescriptor OutputPaddingNegative = Error(DiagnosticIds.OutputPaddingNegative, Usage,
        "Output padding must not be negative",
        "Output padding {0} = {1} for layer '{2}': output padding must not be negative");

    public static readonly DiagnosticDescriptor OutputPaddingTooLarge = Error(DiagnosticIds.OutputPaddingTooLarge, Usage,
        "Output padding must be smaller than the stride or the dilation",
        "{0} = {1} must be smaller than stride {2} or dilation {3} (layer '{4}', {5}): larger output padding adds {6} that no input reaches, which PyTorch and ONNX reject");

    public static readonly DiagnosticDescriptor PaddingModeOnTransposed = Error(DiagnosticIds.PaddingModeOnTransposed, Usage,
        "Transposed layers pad with zeros only",
        "Layer '{0}' ([{1}]) has PaddingMode = {2}: a transposed layer crops its output instead of padding its input, so only PaddingMode = Zeros exists (as in PyTorch)");

    public static readonly DiagnosticDescriptor DepthMultiplierInvalid = Error(DiagnosticIds.DepthMultiplierInvalid, Usage,
        "Depth multiplier must be at least 1",
        "DepthMultiplier = {0} for layer '{1}': the depth multiplier (depthwise outputs per input channel) must be at least 1");

    public static readonly DiagnosticDescriptor NegativeSlopeIgnored = Warning(DiagnosticIds.NegativeSlopeIgnored, Usage,
        "NegativeSlope only applies to LeakyReLU",
        "Layer '{0}' sets NegativeSlope = {1} but its activation is {2}: the slope only applies to Activation = LeakyReLU and is ignored");

    public static readonly DiagnosticDescriptor NegativeSlopeNotFinite = Error(DiagnosticIds.NegativeSlopeNotFinite, Usage,
        "NegativeSlope must be a finite number",
        "NegativeSlope = {0} for layer '{1}' is not a finite number");

    public static readonly DiagnosticDescriptor EnumValueInvalid = Error(DiagnosticIds.EnumValueInvalid, Usage,
        "Argument is not a defined enum value",
        "{0} = {1} for layer '{2}' is not a defined {3} value: use one of {4}");

    public static readonly DiagnosticDescriptor OutputSizeNotPositive = Error(DiagnosticIds.OutputSizeNotPositive, Shape,
        "Output size is not positive for the static input size",
        "Layer '{0}' has output {1} {2} for input {1} {3}: floor(({3} + {4} - {5}*({6}-1) - 1) / {7}) + 1 = {2}; the padded input {8} is smaller than the dilated kernel {9}");

    public static readonly DiagnosticDescriptor InputNeverRead = Warning(DiagnosticIds.InputNeverRead, Shape,
        "Stride leaves input rows or columns unread",
        "Layer '{0}' never reads the last {1} input {2}(s): ({3} + {4} - {5}*({6}-1) - 1) mod {7} = {8} position(s) lie past the last window and {9} of them are padding");

    public static readonly DiagnosticDescriptor PaddingOnlyOutputs = Warning(DiagnosticIds.PaddingOnlyOutputs, Shape,
        "Padding is at least the dilated kernel size",
        "Layer '{0}' pads {1} = {2}, at least its dilated kernel {3} = {4}: the first {5} output {6}(s) at {7} see only padding");

    public static readonly DiagnosticDescriptor EvenKernelHalfPadding = Warning(DiagnosticIds.EvenKernelHalfPadding, Shape,
        "Even kernel with padding K/2 grows the output",
        "Layer '{0}' has even kernel {1} = {2} with padding {3} = {4} on each side: at stride 1 the output {5} is the input {5} + 1; keeping the size needs asymmetric padding ({6} before, {7} after)");

    public static readonly DiagnosticDescriptor SamePaddingImpossible = Error(DiagnosticIds.SamePaddingImpossible, Shape,
        "'same' padding cannot be reached by this transposed layer",
        "Layer '{0}' cannot keep 'same' size on its {1}: in*{2} outputs need a dilated kernel plus output padding of at least the stride {2}, but {3}*({4}-1)+1 + {5} = {6}");

    public static readonly DiagnosticDescriptor StrideWithDilation = Warning(DiagnosticIds.StrideWithDilation, Shape,
        "Stride above 1 combined with dilation above 1",
        "Layer '{0}' combines stride {1} = {2} with dilation {3} = {4} along its {5}: windows {2} apart that each sample inputs {4} apart, a combination Keras rejects and that is rarely meant");

    public static readonly DiagnosticDescriptor TransposedOutputNotPositive = Error(DiagnosticIds.TransposedOutputNotPositive, Shape,
        "Transposed layer's output size is not positive for the static input size",
        "Layer '{0}' has output {1} {2} for input {1} {3}: ({3}-1)*{4} - {5} - {6} + {7}*({8}-1) + {9} + 1 = {2}; the padding crops more than the full output {10}");

    public static readonly DiagnosticDescriptor PaddingExceedsInput = Error(DiagnosticIds.PaddingExceedsInput, Shape,
        "Reflect or circular padding is too large for the input",
        "Layer '{0}' pads its {1} with PaddingMode = {2} by {3} = {4}, but the input {1} is {5}: {2} padding must be {6} the input size");

    public static readonly DiagnosticDescriptor SamePaddingAtRunTime = new(DiagnosticIds.SamePaddingAtRunTime,
        "'same' padding with a stride is decided at run time",
        "Layer '{0}' uses Padding = {1} with stride {2} along {3} and no static input {3}: the pads depend on the input size, so they are decided per input at run time and the layer uses the general kernel; give {4} to fix them at build time",
        Shape, DiagnosticSeverity.Info, isEnabledByDefault: true,
        description: "With a stride above 1, 'same' padding depends on the input size; without a static size it is decided per Forward call.",
        helpLinkUri: HelpRoot + DiagnosticIds.SamePaddingAtRunTime + ".md");

    public static readonly DiagnosticDescriptor GeneralKernelFallback = new(DiagnosticIds.GeneralKernelFallback,
        "Layer uses the general kernel",
        "Layer '{0}' uses the general runtime kernel instead of a specialized one: {1}",
        Performance, DiagnosticSeverity.Info, isEnabledByDefault: true,
        description: "The geometry is valid but ConvGen did not unroll a kernel for it; the layer works through the runtime's general kernel.",
        helpLinkUri: HelpRoot + DiagnosticIds.GeneralKernelFallback + ".md");

    public static readonly DiagnosticDescriptor PoolArgumentInvalid = Error(DiagnosticIds.PoolArgumentInvalid, Usage,
        "Pooling argument is invalid",
        "{0} for pooling layer '{1}': {2}");

    public static readonly DiagnosticDescriptor LinearArgumentInvalid = Error(DiagnosticIds.LinearArgumentInvalid, Usage,
        "Linear layer argument is invalid",
        "{0} for linear layer '{1}': {2}");

    private const string Network = "ConvGen.Network";

    public static readonly DiagnosticDescriptor NetworkChannelMismatch = Error(DiagnosticIds.NetworkChannelMismatch, Network,
        "Layer channels do not chain",
        "Layer '{0}' ({1}) expects {2} input channels, but {3} gives it {4} channels ({5})");

    public static readonly DiagnosticDescriptor NetworkSizeNotPositive = Error(DiagnosticIds.NetworkSizeNotPositive, Network,
        "A spatial size reaches 0",
        "Layer '{0}' ({1}) receives {2} from {3}, and its output {4} would be {5}: {6}");

    public static readonly DiagnosticDescriptor NetworkFeaturesMismatch = Error(DiagnosticIds.NetworkFeaturesMismatch, Network,
        "Linear input features do not match",
        "Layer '{0}' ({1}) reads {2} features, but {3} gives it {4} = {5} features");

    public static readonly DiagnosticDescriptor NetworkLayerDoesNotFit = Error(DiagnosticIds.NetworkLayerDoesNotFit, Network,
        "Layer cannot run on the shape that reaches it",
        "Layer '{0}' ({1}) cannot run on the {2} input it receives from {3}: {4}");

    public static readonly DiagnosticDescriptor NetworkFieldNotALayer = Error(DiagnosticIds.NetworkFieldNotALayer, Network,
        "Network field is not a layer",
        "Field '{0}' of network '{1}' has type '{2}', which is not a ConvGen layer; the instance fields of a [Network] class are its layers, in order (make other state static, or a property)");

    public static readonly DiagnosticDescriptor NetworkLayerChannelsUnknown = Error(DiagnosticIds.NetworkLayerChannelsUnknown, Network,
        "Network layer does not fix its channels",
        "Layer '{0}' ({1}) takes its channels from its constructor; a network layer needs InChannels and OutChannels in its attribute");

    public static readonly DiagnosticDescriptor NetworkInputInvalid = Error(DiagnosticIds.NetworkInputInvalid, Network,
        "Network input shape is invalid",
        "Network '{0}' has an invalid input shape: {1}");

    public static readonly DiagnosticDescriptor NetworkEmpty = Error(DiagnosticIds.NetworkEmpty, Network,
        "Network has no layers",
        "Network '{0}' has no layers: declare them as instance fields, in the order they run");

    public static readonly DiagnosticDescriptor NetworkDeclarationInvalid = Error(DiagnosticIds.NetworkDeclarationInvalid, Network,
        "Network class cannot be extended",
        "Network class '{0}' {1}");

    public static readonly DiagnosticDescriptor NetworkResidualSourceInvalid = Error(DiagnosticIds.NetworkResidualSourceInvalid, Network,
        "Residual source is not an earlier layer",
        "Layer '{0}' ({1}) adds '{2}', {3}");

    public static readonly DiagnosticDescriptor NetworkResidualShapeMismatch = Error(DiagnosticIds.NetworkResidualShapeMismatch, Network,
        "Residual shapes differ",
        "Layer '{0}' ({1}) outputs {2} but adds '{3}', which outputs {4}; a residual add needs one shape");

    public static readonly ImmutableArray<DiagnosticDescriptor> All = ImmutableArray.Create(
        NotPartial, ContainingTypeNotPartial, GenericLayer, KernelSizeInvalid, KernelSizeConflict, KernelSizeMissing,
        StrideInvalid, DilationInvalid, PaddingNegative, GroupsInvalid, GroupsNotDividing, ChannelsInvalid,
        ChannelsHalfSpecified, InputSizeInvalid, StaticOrAbstractLayer, LayerTooLarge, MultipleLayerAttributes, PaddingRuleWithPads,
        OutputPaddingNegative, OutputPaddingTooLarge, PaddingModeOnTransposed, DepthMultiplierInvalid, NegativeSlopeIgnored,
        NegativeSlopeNotFinite, EnumValueInvalid, OutputSizeNotPositive, InputNeverRead, PaddingOnlyOutputs, EvenKernelHalfPadding,
        SamePaddingImpossible, StrideWithDilation, TransposedOutputNotPositive, PaddingExceedsInput, SamePaddingAtRunTime,
        GeneralKernelFallback, PoolArgumentInvalid, LinearArgumentInvalid, NetworkChannelMismatch, NetworkSizeNotPositive,
        NetworkFeaturesMismatch, NetworkLayerDoesNotFit, NetworkFieldNotALayer, NetworkLayerChannelsUnknown, NetworkInputInvalid,
        NetworkEmpty, NetworkDeclarationInvalid, NetworkResidualSourceInvalid, NetworkResidualShapeMismatch);

    private static readonly Dictionary<string, DiagnosticDescriptor> ById = All.ToDictionary(d => d.Id);

    public static DiagnosticDescriptor Get(string id) => ById[id];

    private static DiagnosticDescriptor Error(string id, string category, string title, string message)
        => new(id, title, message, category, DiagnosticSeverity.Error, isEnabledByDefault: true,
            description: title + ".", helpLinkUri: HelpRoot + id + ".md");

    private static DiagnosticDescriptor Warning(string id, string category, string title, string message)
        => new(id, title, message, category, DiagnosticSeverity.Warning, isEnabledByDefault: true,
            description: title + ".", helpLinkUri: HelpRoot + id + ".md");
}
