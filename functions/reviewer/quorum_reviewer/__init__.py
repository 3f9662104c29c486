"""The reviewer capability: reviewer pool, enrollment, panel draw, fatigue, quality stats, inbox."""
