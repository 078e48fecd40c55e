using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Punch.Server.Storage.Migrations
{
    /// <inheritdoc />
    public partial class NatMapping : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Candidates",
                table: "Sessions",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "NatMappingA",
                table: "Sessions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "NatMappingB",
                table: "Sessions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "NatMapping",
                table: "Peers",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "NatMapping",
                table: "Events",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "OtherNatMapping",
                table: "Events",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Candidates",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "NatMappingA",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "NatMappingB",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "NatMapping",
                table: "Peers");

            migrationBuilder.DropColumn(
                name: "NatMapping",
                table: "Events");

            migrationBuilder.DropColumn(
                name: "OtherNatMapping",
                table: "Events");
        }
    }
}
