"""The losses of SdcaOptimizer (minitf/ops/sdca_ops.py), each with what one SDCA step needs:
the optimal new dual of one example, the primal and dual losses, the primal loss's derivative
(for adaptive sampling), its smoothness constant and the label it takes. Scalars in double
precision, as TF's kernels compute them.
"""
import math

from minitf.framework import errors

_MAX = 1.7976931348623157e308  # (TF's numeric_limits<double>::max(): an infeasible dual)


def _binary(label, check=True):
    # the classification losses take 0/1 labels and work with -1/1
    if label == 0.0:
        return -1.0
    if label == 1.0 or not check:
        return float(label)
    raise errors.InvalidArgumentError(
        None, None, "Only labels of 0.0 or 1.0 are supported right now. Found example with "
        f"label: {_g(label)}")


def _g(x):
    return f"{float(x):g}"


class _Logistic:
    smoothness = 4.0
    convert = staticmethod(_binary)

    @staticmethod
    def dual(partitions, label, weight, dual, wx, norm):
        # Newton's method on the modified function, 10 steps, from x = 0
        x = 0.0
        for _ in range(10):
            t = math.tanh(x)
            num = -2 * label * x - wx - partitions * norm * weight * (0.5 * (1 + t) / label
                                                                      - dual)
            den = -2 * label - partitions * norm * weight * (1 - t * t) * 0.5 / label
            x -= num / den
        return 0.5 * (1 + math.tanh(x)) / label

    @staticmethod
    def dual_loss(dual, label, weight):
        ay = dual * label
        log_ay = math.log(ay) if ay > 0 else 0.0
        rest = 1 - ay
        log_rest = math.log(rest) if rest > 0 else 0.0
        return (ay * log_ay + rest * log_rest) * weight

    @staticmethod
    def primal(wx, label, weight):
        y_wx = label * wx
        if y_wx > 0:
            return math.log1p(math.exp(-y_wx)) * weight
        return (math.log1p(math.exp(y_wx)) - y_wx) * weight

    @staticmethod
    def derivative(wx, label, weight):
        if label * wx > 0:
            inverse = math.exp(-label * wx) / (1 + math.exp(-label * wx))
        else:
            inverse = 1 / (1 + math.exp(label * wx))
        return -inverse * label * weight


class _Squared:
    smoothness = 1.0

    @staticmethod
    def convert(label, check=True):
        return float(label)

    @staticmethod
    def dual(partitions, label, weight, dual, wx, norm):
        return dual + (label - dual - wx) / (1 + partitions * norm * weight)

    @staticmethod
    def dual_loss(dual, label, weight):
        return dual * (0.5 * dual - label) * weight

    @staticmethod
    def primal(wx, label, weight):
        return (wx - label) * (wx - label) * weight * 0.5

    @staticmethod
    def derivative(wx, label, weight):
        return (wx - label) * weight


class _Hinge:
    smoothness = 0.0
    gamma = 0.0
    convert = staticmethod(_binary)

    @classmethod
    def dual(cls, partitions, label, weight, dual, wx, norm):
        g = cls.gamma
        candidate = dual + (label - wx - g * dual) / (partitions * weight * norm + g)
        if label * candidate < 0:
            return 0.0
        return label if label * candidate > 1.0 else candidate

    @classmethod
    def dual_loss(cls, dual, label, weight):
        y_alpha = dual * label
        if y_alpha < 0 or y_alpha > 1.0:
            return _MAX
        if not cls.gamma:  # (-y_alpha alone: -0.0 at a zero dual, as TF)
            return -y_alpha * weight
        return (-y_alpha + 0.5 * cls.gamma * dual * dual) * weight

    @staticmethod
    def primal(wx, label, weight):
        return max(0.0, 1 - label * wx) * weight

    @staticmethod
    def derivative(wx, label, weight):
        return -label * weight if label * wx < 1 else 0.0


class _SmoothHinge(_Hinge):
    smoothness = 1.0
    gamma = 1.0

    @staticmethod
    def primal(wx, label, weight):
        y_wx = label * wx
        if y_wx >= 1:
            return 0.0
        if y_wx <= 0:  # (1 - gamma)
            return (1 - y_wx - 0.5) * weight
        return (1 - y_wx) * (1 - y_wx) * weight * 0.5

    @staticmethod
    def derivative(wx, label, weight):
        if label * wx >= 1:
            return 0.0
        return -label if label * wx <= 0 else wx - label


class _Poisson:
    smoothness = 1.0

    @staticmethod
    def convert(label, check=True):
        if label < 0.0 and check:
            raise errors.InvalidArgumentError(
                None, None, "Only non-negative labels can be used with the Poisson log loss. "
                f"Found example with label: {_g(label)}")
        return float(label)

    @staticmethod
    def dual(partitions, label, weight, dual, wx, norm):
        # Newton's method, 10 steps, from exp(x) = label - dual
        y_minus_a = label - dual
        x = math.log(y_minus_a) if y_minus_a > 0 else 0.0
        c = partitions * norm * weight
        for _ in range(10):
            e = math.exp(x)
            x -= (x - wx - c * (label - dual - e)) / (1 + c * e)
        return label - math.exp(x)

    @staticmethod
    def dual_loss(dual, label, weight):
        y_minus_a = label - dual
        if y_minus_a == 0.0:
            return 0.0
        if y_minus_a < 0.0:
            return _MAX
        return y_minus_a * (math.log(y_minus_a) - 1) * weight

    @staticmethod
    def primal(wx, label, weight):
        return (math.exp(wx) - wx * label) * weight

    @staticmethod
    def derivative(wx, label, weight):
        return (math.exp(wx) - label) * weight


LOSSES = {"logistic_loss": _Logistic, "squared_loss": _Squared, "hinge_loss": _Hinge,
          "smooth_hinge_loss": _SmoothHinge, "poisson_loss": _Poisson}
