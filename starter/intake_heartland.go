package starter

// registerHeartlandRoutes adds the Heartland webhook routes to the intake.
func (in *Intake) registerHeartlandRoutes() {}
