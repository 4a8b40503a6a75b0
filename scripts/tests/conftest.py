import matplotlib

matplotlib.use("Agg")  # before any figure module imports pyplot
